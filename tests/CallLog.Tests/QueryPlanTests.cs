using System.Globalization;
using CallLog.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CallLog.Tests;

/// <summary>
/// Every list request reads indexes only: counts from the tallies, pages from an index in list order.
/// Checked on SQLite, whose planner does not switch to table scans on small tables; PostgreSQL's plans
/// at 1M and 10M calls are recorded in docs/scaling.md (`calllog explain --analyze`).
/// </summary>
public sealed class QueryPlanTests : IAsyncLifetime
{
    private readonly SqliteStore _store = new();

    public async ValueTask InitializeAsync()
    {
        await _store.InitializeAsync();
        await _store.ImportAsync(KnownCalls.All);
    }

    public async ValueTask DisposeAsync() => await _store.DisposeAsync();

    public static TheoryData<string[]> Requests() => new()
    {
        { [] },
        { ["--agent-id", "12345"] },
        { ["--status", "failed"] },
        { ["--type", "inbound"] },
        { ["--agent-id", "12345", "--type", "outbound", "--limit", "25"] },
        { ["--agent-id", "sales_bot", "--status", "completed", "--type", "inbound"] },
        { ["--status", "in-progress", "--type", "outbound", "--limit", "100"] },
        { ["--keyset"] },
        { ["--status", "failed", "--keyset"] },
        { ["--page", "3"] },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task ListRequestsNeverScanTheCallsTable(string[] request)
    {
        var result = await _store.SucceedAsync(["explain", .. request]);

        var lines = result.Stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("SEARCH t USING PRIMARY KEY", StringComparison.Ordinal)); // the count reads tallies
        Assert.Contains(lines, l => l.Contains("SEARCH c USING COVERING INDEX calls_by", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("SEARCH c USING INTEGER PRIMARY KEY (rowid=?)", StringComparison.Ordinal)); // the page's rows, one step each
        Assert.DoesNotContain(lines, l => l.EndsWith(" SCAN c", StringComparison.Ordinal) || l.Contains("SCAN calls", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("AUTOMATIC", StringComparison.Ordinal));
        if (request.Contains("--keyset"))
        {
            Assert.Contains(lines, l => l.Contains("(started_at,id)<(?,?)", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// A filter that one index serves in list order reads that range alone; only filters that leave
    /// several ranges open merge them (a merge's extra pass doubled a page at offset 100k).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(false, "--agent-id", "12345")]
    [InlineData(false, "--keyset")]
    [InlineData(true, "--status", "failed")]
    [InlineData(true, "--type", "inbound", "--keyset")]
    public async Task OnlyFiltersThatLeaveSeveralRangesOpenMergeThem(bool merged, params string[] request)
    {
        var result = await _store.SucceedAsync(["explain", "--page", "3", .. request]);

        Assert.Equal(merged, result.Stdout.Contains("MERGE (UNION ALL)", StringComparison.Ordinal));
        Assert.Equal(merged, result.Stdout.Contains("CO-ROUTINE r0", StringComparison.Ordinal)); // a range wrapped to be merged
        Assert.Contains("SEARCH c USING COVERING INDEX calls_by", result.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// q reads the workspace's calls (it has no index), but its contact-name subquery must run once, not
    /// once per call: correlated, it read every contact for every call (155 s at 100k calls).
    /// </summary>
    [Fact]
    public async Task SearchRunsItsContactSubqueryOnce()
    {
        var result = await _store.SucceedAsync("explain", "--query", "q=doe");

        Assert.Contains("LIST SUBQUERY", result.Stdout, StringComparison.Ordinal);
        // The one correlated subquery allowed is the agent's name, looked up for each row of the page only.
        var correlated = result.Stdout.Split('\n').Where(l => l.Contains("CORRELATED", StringComparison.Ordinal)).ToList();
        Assert.All(correlated, l => Assert.Contains("CORRELATED SCALAR SUBQUERY", l, StringComparison.Ordinal));
        Assert.DoesNotContain("CORRELATED LIST SUBQUERY", result.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// SQLite recompiles a statement at every run when a parameter bound to it is one its planner peeked
    /// at; a LIMIT given as a parameter is one (the page query then took 44 instead of 10 us, and the
    /// recompiling threads contended for SQLite's allocator). The statements `calllog explain --sql`
    /// prints, the ones a list request runs, are bound and run three times here: none may recompile. (A
    /// phone filter is a range on SQLite for this reason. `q` is the exception: its LIKE '%...%' is
    /// compiled with its pattern, which costs little beside reading the workspace's calls.)
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("agent_id=12345&type=outbound&limit=25")]
    [InlineData("status=failed")]
    [InlineData("page=3&limit=2")]
    [InlineData("status=completed,failed&page=2&limit=2")]
    [InlineData("sort=-duration_seconds&page=2")]
    [InlineData("phone_number=%2B1555*")]
    [InlineData("phone_number=%2B15550000001")]
    [InlineData("started_after=2020-01-01T00:00:00Z&started_before=2030-01-01T00:00:00Z")]
    [InlineData("contact_id=1001")]
    [InlineData("status=failed", "--keyset")]
    [InlineData("", "--keyset")]
    public async Task ListStatementsRunAgainWithoutRecompiling(string request, params string[] options)
    {
        var result = await _store.SucceedAsync(["explain", "--sql", "--query", request, .. options]);
        var statements = result.Stdout.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, statements.Length); // the count and the page

        await using var connection = (SqliteConnection)await _store.OpenConnectionAsync();
        foreach (var statement in statements)
        {
            var lines = statement.Split('\n');
            var values = lines.Where(l => l.StartsWith("-- @", StringComparison.Ordinal))
                .Select(l => l[3..].Split(" = ", 2)).ToDictionary(pair => pair[0], pair => pair[1]);
            var sql = string.Join('\n', lines.Where(l => !l.StartsWith("--", StringComparison.Ordinal)));
            Assert.Equal(raw.SQLITE_OK, raw.sqlite3_prepare_v3(connection.Handle, sql, 1 /* SQLITE_PREPARE_PERSISTENT */, out var prepared));
            using (prepared)
            {
                Assert.Equal(values.Count, raw.sqlite3_bind_parameter_count(prepared));
                var rows = new List<int>();
                for (var run = 0; run < 3; run++)
                {
                    raw.sqlite3_reset(prepared);
                    foreach (var (name, value) in values)
                    {
                        var index = raw.sqlite3_bind_parameter_index(prepared, name);
                        Assert.Equal(raw.SQLITE_OK, value.StartsWith('\'')
                            ? raw.sqlite3_bind_text(prepared, index, value[1..^1].Replace("''", "'", StringComparison.Ordinal))
                            : raw.sqlite3_bind_int64(prepared, index, long.Parse(value, CultureInfo.InvariantCulture)));
                    }
                    var count = 0;
                    while (raw.sqlite3_step(prepared) == raw.SQLITE_ROW)
                    {
                        count++;
                    }
                    rows.Add(count);
                }

                Assert.True(rows[0] > 0, $"the statement returns rows: {sql}");
                Assert.All(rows, count => Assert.Equal(rows[0], count));
                Assert.Equal(0, raw.sqlite3_stmt_status(prepared, 5 /* SQLITE_STMTSTATUS_REPREPARE */, 0));
            }
        }
    }
}

/// <summary>
/// PostgreSQL settles a prepared statement on one generic plan, made without its values, once that plan
/// looks no costlier. Good for a first page of most filters; for a phone prefix it walked the whole time
/// index (13 ms instead of 0.2 ms a page). Pages whose best plan depends on the values keep their LIMIT
/// a parameter, which makes the generic plan look costly, so PostgreSQL plans them with their values.
/// </summary>
public sealed class QueryPlanTestsOnPostgres : IAsyncLifetime
{
    private readonly PostgresStore _store = new();

    public async ValueTask InitializeAsync()
    {
        await _store.InitializeAsync();
        await _store.ImportAsync(KnownCalls.All);
    }

    public async ValueTask DisposeAsync() => await _store.DisposeAsync();

    [Theory]
    [InlineData("phone_number=%2B1555*", true)]
    [InlineData("started_after=2020-01-01T00:00:00Z", true)]
    [InlineData("agent_id=12345&started_before=2030-01-01T00:00:00Z&sort=-duration_seconds", true)]
    [InlineData("q=acme", true)]
    [InlineData("", false)]
    [InlineData("status=failed&agent_id=12345", false)]
    [InlineData("phone_number=%2B15550000001", false)]
    [InlineData("contact_id=1001", false)]
    public async Task OnlyPagesWhosePlanDependsOnTheirValuesKeepLimitAParameter(string request, bool parameter)
    {
        var result = await _store.SucceedAsync("explain", "--sql", "--query", request);
        var page = result.Stdout[result.Stdout.IndexOf("-- page", StringComparison.Ordinal)..];

        Assert.Equal(parameter, page.Contains("LIMIT @take", StringComparison.Ordinal));
        Assert.Equal(!parameter, page.Contains("LIMIT 11", StringComparison.Ordinal));
    }

    /// <summary>
    /// A page that skips nothing reads its rows by ctid (a TID scan) and one further in by its key (its
    /// range reads the index alone); either way the join names the workspace, which a distributed
    /// PostgreSQL (Citus) needs to route the statement to one shard.
    /// </summary>
    [Theory]
    [InlineData("limit=5", "c.workspace_id = @pageWorkspaceId AND c.ctid = p.rid")]
    [InlineData("status=failed", "c.workspace_id = @pageWorkspaceId AND c.ctid = p.rid")]
    [InlineData("limit=2&page=3", "c.workspace_id = @pageWorkspaceId AND c.id = p.id")]
    public async Task PagesReadTheirRowsByCtidUnlessTheySkipAndAlwaysNameTheWorkspace(string request, string join)
    {
        var result = await _store.SucceedAsync("explain", "--sql", "--query", request);
        var page = result.Stdout[result.Stdout.IndexOf("-- page", StringComparison.Ordinal)..];

        Assert.Contains("JOIN calls c ON " + join, page, StringComparison.Ordinal);
        Assert.Equal(join.Contains("ctid", StringComparison.Ordinal), page.Contains("ctid", StringComparison.Ordinal));
    }
}

