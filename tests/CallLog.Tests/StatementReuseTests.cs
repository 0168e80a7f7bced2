using System.Net;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>
/// On SQLite, connections stay open between requests with the statements they compiled: after the first
/// requests of a shape, more of them compile nothing (Microsoft.Data.Sqlite alone compiles every statement
/// of every request: three per list request). Seen the way an operator would, in /metrics.
/// </summary>
public sealed class StatementReuseTests(SqliteReadServer server) : IClassFixture<SqliteReadServer>
{
    [Fact]
    public async Task RepeatedListRequestsCompileNoNewStatements()
    {
        await ListAsync(10);
        var before = await CompiledAsync();

        await ListAsync(40);
        var after = await CompiledAsync();

        Assert.True(before > 0, "the first requests compile their statements");
        // 40 requests of 3 statements each compiled 120 times without sessions; a session that happens to
        // open meanwhile (the key-usage flush takes one) may compile its own few.
        Assert.InRange(after - before, 0, 6);
    }

    [Fact]
    public async Task EachRequestStillSeesTheCallsWrittenBeforeIt()
    {
        await ListAsync(5);
        await server.Store.ImportAsync([TestCall.Completed("call_three")]);

        using var response = await server.Client.GetAsync("/api/v1/calls?limit=100", server.Reader);
        var body = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Contains(body.GetProperty("calls").EnumerateArray(), c => c.GetProperty("id").GetString() == "call_three");
        Assert.Equal(body.GetProperty("calls").GetArrayLength(), body.GetProperty("count").GetInt64());
    }

    private async Task ListAsync(int times)
    {
        for (var i = 0; i < times; i++)
        {
            using var response = await server.Client.GetAsync("/api/v1/calls?status=completed", server.Reader);
            await response.JsonAsync(HttpStatusCode.OK);
        }
    }

    private async Task<long> CompiledAsync() =>
        await server.CounterAsync("calllog_store_statements_compiled_total") ?? throw new Xunit.Sdk.XunitException("calllog_store_statements_compiled_total is missing from /metrics");
}
