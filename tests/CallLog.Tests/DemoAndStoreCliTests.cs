using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

public abstract class DemoAndStoreCliTests<TStore> : StoreTests<TStore> where TStore : TestStore, new()
{
    [Fact]
    public async Task DemoIsDeterministicForASeed()
    {
        await using var other = await NewStoreAsync();
        await Store.SucceedAsync("demo", "--calls", "300", "--seed", "42");
        await other.SucceedAsync("demo", "--calls", "300", "--seed", "42");

        var first = (await Store.SucceedAsync("export")).Stdout;
        Assert.Equal(first, (await other.SucceedAsync("export")).Stdout);

        await using var third = await NewStoreAsync();
        await third.SucceedAsync("demo", "--calls", "300", "--seed", "43");
        Assert.NotEqual(first, (await third.SucceedAsync("export")).Stdout);
    }

    [Fact]
    public async Task DemoDataCoversEveryStatusAndDirectionRealistically()
    {
        await Store.SucceedAsync("demo", "--calls", "1000", "--workspace", "demo-ws");

        var calls = (await Store.SucceedAsync("export", "--workspace", "demo-ws")).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

        Assert.Equal(1000, calls.Count);
        Assert.Equal(["completed", "failed", "in-progress"], calls.Select(c => c.GetProperty("status").GetString()).Distinct().Order());
        Assert.Equal(["inbound", "outbound"], calls.Select(c => c.GetProperty("type").GetString()).Distinct().Order());
        Assert.True(calls.Select(c => c.GetProperty("agent_id").GetString()).Distinct().Count() >= 5);
        Assert.Contains(calls, c => c.GetProperty("agent_id").GetString() == "assistant_12345");
        Assert.All(calls.Where(c => c.GetProperty("status").GetString() == "completed"), c =>
        {
            Assert.False(string.IsNullOrEmpty(c.GetProperty("summary").GetString()));
            Assert.StartsWith("https://", c.GetProperty("recording_url").GetString(), StringComparison.Ordinal);
        });
        Assert.Contains(calls, c => c.GetProperty("contact").ValueKind == JsonValueKind.Object);
        Assert.Contains(calls, c => c.GetProperty("contact").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task TheStoreComesFromCallLogDbWhenDbIsNotGiven()
    {
        var env = new Dictionary<string, string> { ["CALLLOG_DB"] = Store.Db };

        var created = await CallLogProcess.RunAsync(["keys", "create", "--name", "env", "--permissions", "can_read_calls"], environment: env);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("env", (await Store.SucceedAsync("keys", "list", "--json")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateCreatesTheSchemaAndIsRepeatable()
    {
        Assert.Contains("up to date", (await Store.SucceedAsync("migrate")).Stdout, StringComparison.Ordinal);
        Assert.Contains("up to date", (await Store.SucceedAsync("migrate")).Stdout, StringComparison.Ordinal);
    }
}

public sealed class DemoAndStoreCliTestsOnSqlite : DemoAndStoreCliTests<SqliteStore>;

public sealed class DemoAndStoreCliTestsOnPostgres : DemoAndStoreCliTests<PostgresStore>;
