using System.Net;
using System.Text.RegularExpressions;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

public abstract class ServeDemoTests<TStore>(DemoServer<TStore> server) where TStore : TestStore, new()
{
    [Fact]
    public async Task ServeDemoFillsAFreshDatabaseAndPrintsAReadKeyThatWorksWithTheSeedRequest()
    {
        var key = Patterns.SecretInText().Match(server.Log).Value;
        Assert.False(string.IsNullOrEmpty(key), server.Log);

        using var response = await server.Client.GetAsync("/api/v1/calls?agent_id=12345&type=outbound&page=1&limit=25", key);

        var page = await response.JsonAsync(HttpStatusCode.OK);
        Assert.True(page.GetProperty("count").GetInt64() > 25);
        Assert.Equal(25, page.GetProperty("calls").GetArrayLength());
        Assert.All(page.GetProperty("calls").EnumerateArray(), c =>
        {
            Assert.Equal("assistant_12345", c.GetProperty("agent_id").GetString());
            Assert.Equal("outbound", c.GetProperty("type").GetString());
        });
    }

    [Fact]
    public async Task ServingDemoAgainAddsNoDataButPrintsAnotherKey()
    {
        _ = server.Client;

        Assert.Single(Regex.Matches(server.Log, "Added 2,000 demo calls"));
        Assert.Contains("already has calls; no demo data added", server.Log, StringComparison.Ordinal);
        Assert.Equal(2, Patterns.SecretInText().Matches(server.Log).Select(m => m.Value).Distinct().Count());
        Assert.Equal(2000, (await server.Store.ExportLinesAsync()).Length);
    }

    [Fact]
    public async Task TheDemoKeyCanOnlyRead()
    {
        var key = Patterns.SecretInText().Match(server.Log).Value;
        var keys = await server.Store.SucceedAsync("keys", "list", "--json");

        Assert.Contains("\"permissions\":[\"can_read_calls\",\"can_read_agents\",\"can_read_contacts\"]", keys.Stdout, StringComparison.Ordinal);
        Assert.Contains(key[..12], keys.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeOnATakenPortOrABadAddressSaysSoInOneLine()
    {
        var taken = server.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);
        foreach (var (urls, expected) in new[]
        {
            (taken, "address already in use"),
            ("http://127.0.0.1:99999", "must be from 0 to 65535"),
            ("ftp://127.0.0.1:5000", "must start with http:// or https://"),
            ("not a url", "is not an address to listen on"),
            ("http://192.0.2.1:5000", "cannot listen on http://192.0.2.1:5000: Cannot assign requested address"), // TEST-NET: not this machine's
        })
        {
            var result = await server.Store.RunAsync("serve", "--urls", urls);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Stderr + result.Stdout, StringComparison.Ordinal); // no stack trace
        }
    }
}

public sealed class ServeDemoTestsOnSqlite(DemoServer<SqliteStore> server) : ServeDemoTests<SqliteStore>(server), IClassFixture<DemoServer<SqliteStore>>;

public sealed class ServeDemoTestsOnPostgres(DemoServer<PostgresStore> server) : ServeDemoTests<PostgresStore>(server), IClassFixture<DemoServer<PostgresStore>>;
