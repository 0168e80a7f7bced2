using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

public sealed class DemoAndStoreCliTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task DemoIsDeterministicForASeed()
    {
        using var other = new TestStore();
        await _store.SucceedAsync("demo", "--calls", "300", "--seed", "42");
        await other.SucceedAsync("demo", "--calls", "300", "--seed", "42");

        var first = (await _store.SucceedAsync("export")).Stdout;
        Assert.Equal(first, (await other.SucceedAsync("export")).Stdout);

        using var third = new TestStore();
        await third.SucceedAsync("demo", "--calls", "300", "--seed", "43");
        Assert.NotEqual(first, (await third.SucceedAsync("export")).Stdout);
    }

    [Fact]
    public async Task DemoDataCoversEveryStatusAndDirectionRealistically()
    {
        await _store.SucceedAsync("demo", "--calls", "1000", "--workspace", "demo-ws");

        var calls = (await _store.SucceedAsync("export", "--workspace", "demo-ws")).Stdout
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
        var env = new Dictionary<string, string> { ["CALLLOG_DB"] = _store.DbPath };

        var created = await CallLogProcess.RunAsync(["keys", "create", "--name", "env", "--permissions", "can_read_calls"], environment: env);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("env", (await _store.SucceedAsync("keys", "list", "--json")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateCreatesTheSchemaAndIsRepeatable()
    {
        Assert.Contains("up to date", (await _store.SucceedAsync("migrate")).Stdout, StringComparison.Ordinal);
        Assert.Contains("up to date", (await _store.SucceedAsync("migrate")).Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(_store.DbPath));
    }

    [Fact]
    public async Task AStoreInAMissingDirectoryIsAClearError()
    {
        var result = await CallLogProcess.RunAsync(["migrate", "--db", "/nonexistent-dir/calllog.db"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("/nonexistent-dir", result.Stderr, StringComparison.Ordinal);
    }
}
