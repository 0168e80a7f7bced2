using System.Net;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

public sealed class PagingOptionTests(ForgetfulServer server) : IClassFixture<ForgetfulServer>
{
    [Fact]
    public async Task ANodeThatRemembersNoPageStartsStillPagesCorrectly()
    {
        var expected = KnownCalls.Ordered().Select(c => c.Id).ToList();
        for (var round = 0; round < 2; round++)
        {
            for (var page = 1; page <= 7; page++)
            {
                using var response = await server.Client.GetAsync($"/api/v1/calls?limit=10&page={page}", server.Reader);
                var ids = (await response.JsonAsync(HttpStatusCode.OK)).GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("id").GetString());
                Assert.Equal(expected.Skip((page - 1) * 10).Take(10), ids);
            }
        }

        Assert.Null(await server.CounterAsync("calllog_pages_starts_total"));
    }
}
