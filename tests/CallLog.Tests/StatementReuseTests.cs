using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>A SQLite node with a few calls and a reader key.</summary>
public sealed class SqliteReadServer : CallLogServer<SqliteStore>
{
    public string Reader { get; private set; } = "";

    protected override async Task SeedAsync()
    {
        Reader = (await Store.CreateKeyAsync("can_read_calls")).Secret;
        await Store.ImportAsync([TestCall.Completed("call_one"), TestCall.Completed("call_two")]);
    }
}

/// <summary>
/// On SQLite, connections stay open between requests with the statements they compiled: after the first
/// requests of a shape, more of them compile nothing (Microsoft.Data.Sqlite alone compiles every statement
/// of every request: three per list request). Seen the way an operator would, in /metrics.
/// </summary>
public sealed partial class StatementReuseTests(SqliteReadServer server) : IClassFixture<SqliteReadServer>
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

    private async Task<long> CompiledAsync()
    {
        // The exporter reads the counters when scraped; a scrape within its cache window may repeat the last one.
        await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        using var scrape = await server.Client.GetAsync("/metrics", TestContext.Current.CancellationToken);
        var metrics = await scrape.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var match = CompiledTotal().Match(metrics);
        Assert.True(match.Success, "calllog_store_statements_compiled_total is missing from /metrics");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^calllog_store_statements_compiled_total(?:\{[^}]*\})? (\d+)", RegexOptions.Multiline)]
    private static partial Regex CompiledTotal();
}
