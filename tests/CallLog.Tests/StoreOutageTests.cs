using System.Net;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

public sealed class StoreOutageTests(PartitionedServer server) : IClassFixture<PartitionedServer>
{
    [Fact]
    public async Task WhilePostgresIsUnreachableRequestsGet503WithRetryAfterAndServingResumesAfter()
    {
        using (var before = await server.Client.GetAsync("/api/v1/calls", server.Key))
        {
            await before.JsonAsync(HttpStatusCode.OK);
        }

        server.Partition.Cut();
        try
        {
            using var during = await server.Client.GetAsync("/api/v1/calls", server.Key);
            Assert.Contains("cannot be reached", await during.ErrorAsync(HttpStatusCode.ServiceUnavailable, "server_busy"), StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(5), during.Headers.RetryAfter?.Delta);
            using var ready = await server.Client.GetAsync("/readyz", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }
        finally
        {
            server.Partition.Restore();
        }

        // A client that honours Retry-After gets through once the store is back (a pooled connection broken by
        // the cut may fail one more request).
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 10 && statuses.LastOrDefault() != HttpStatusCode.OK; attempt++)
        {
            using var after = await server.Client.GetAsync("/api/v1/calls", server.Key);
            statuses.Add(after.StatusCode);
            if (after.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }
        Assert.Equal(HttpStatusCode.OK, statuses.Last());
    }
}
