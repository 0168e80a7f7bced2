using System.Net;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>The list's count comes from tallies; these tests hold it against a full scan (export).</summary>
public abstract class TallyTests<TStore>(TallyServer<TStore> server) where TStore : TestStore, new()
{
    private static readonly string[] Agents = ["assistant_1", "assistant_2", "bot_3"];
    private static readonly string[] Statuses = ["completed", "failed", "in-progress"];
    private static readonly string[] Types = ["inbound", "outbound"];

    [Fact]
    public async Task CountsEqualAFullScanAfterRandomImportsAndReimports()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        for (var round = 0; round < 4; round++)
        {
            // Ids come from a small pool, so later rounds re-import calls with a new agent, status or type.
            var batch = Enumerable.Range(0, 120).Select(_ =>
            {
                var status = Statuses[random.Next(3)];
                var call = TestCall.Completed($"call_{random.Next(200):D3}", Agents[random.Next(3)]) with { Status = status, Type = Types[random.Next(2)] };
                return status == "in-progress" ? call with { EndedAt = null, DurationSeconds = null } : call;
            }).ToList();
            await server.Store.ImportAsync(batch);

            // One full scan per round (export reads every call), counted per filter combination here.
            var scanned = (await server.Store.ExportLinesAsync()).Select(l => JsonSerializer.Deserialize<TestCall>(l, TestCall.Json)!).ToList();
            foreach (var agent in (string?[])[null, .. Agents])
            {
                foreach (var status in (string?[])[null, .. Statuses])
                {
                    foreach (var type in (string?[])[null, .. Types])
                    {
                        var scan = scanned.Count(c => (agent is null || c.AgentId == agent) && (status is null || c.Status == status) && (type is null || c.Type == type));
                        var counted = await ApiCountAsync(agent, status, type);
                        Assert.True(scan == counted, $"seed {seed}, round {round}, agent={agent} status={status} type={type}: scan {scan}, count {counted}");
                    }
                }
            }
        }
    }

    private async Task<long> ApiCountAsync(string? agent, string? status, string? type)
    {
        using var response = await server.Client.GetAsync($"/api/v1/calls?limit=1&{FilterCombinations.Query(agent, status, type)}", server.Reader);
        return (await response.JsonAsync(HttpStatusCode.OK)).GetProperty("count").GetInt64();
    }
}

public sealed class TallyTestsOnSqlite(TallyServer<SqliteStore> server) : TallyTests<SqliteStore>(server), IClassFixture<TallyServer<SqliteStore>>;

public sealed class TallyTestsOnPostgres(TallyServer<PostgresStore> server) : TallyTests<PostgresStore>(server), IClassFixture<TallyServer<PostgresStore>>;
