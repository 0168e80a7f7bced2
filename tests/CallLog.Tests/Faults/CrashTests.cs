using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests.Faults;

/// <summary>kill -9 in the middle of work: the store stays consistent and no acknowledged write is lost.</summary>
public abstract class CrashTests<TStore>(FaultServer<TStore> server) where TStore : TestStore, new()
{
    [Fact]
    public async Task KilledDuringAWriteBurstTheServerLosesNoAcknowledgedWrite()
    {
        var acknowledged = new ConcurrentBag<string>();
        var client = server.Node;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var writers = Enumerable.Range(0, 8).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                var id = TestCall.NewId();
                using var request = server.Request(HttpMethod.Put, $"/api/v1/calls/{id}", TestCall.WriteBody(id));
                try
                {
                    using var response = await client.SendAsync(request, stop.Token);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged.Add(id);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                {
                    return; // the server is gone: what it answered before is what counts
                }
            }
        }).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        await server.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Assert.True(acknowledged.Count > 20, $"only {acknowledged.Count} writes were acknowledged before the kill");

        var restarted = await server.RestartAsync();
        foreach (var id in acknowledged)
        {
            using var get = await restarted.GetAsync($"/api/v1/calls/{id}", server.Writer);
            Assert.True(get.StatusCode == HttpStatusCode.OK, $"call {id} was acknowledged (201) before the kill but is {(int)get.StatusCode} after it");
        }
        await AssertConsistentAsync(restarted, FaultServer<TStore>.Workspace);
    }

    [Fact]
    public async Task KilledDuringAnImportTheStoreKeepsNothingOfItAndTakesTheNextImport()
    {
        var client = server.Node;
        await server.Store.ImportAsync(KnownCalls.All, "import-crash");
        using var import = Process.Start(CallLogProcess.StartInfo(["import", "-", "--workspace", "import-crash", "--db", server.Store.Db]))!;
        _ = import.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        _ = import.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        // Lines enough for several batches, with the input left open: the import has written rows it has not committed.
        for (var i = 0; i < 5000; i++)
        {
            await import.StandardInput.WriteLineAsync(TestCall.Completed($"call_crash_{i:D5}").ToJson());
        }
        await import.StandardInput.FlushAsync(TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.False(import.HasExited, "the import ended before it could be killed");
        import.Kill();
        await import.WaitForExitAsync(TestContext.Current.CancellationToken);

        var key = (await server.Store.CreateKeyAsync("can_read_calls", "import-crash")).Secret;
        using (var list = await client.GetAsync("/api/v1/calls?limit=1", key))
        {
            Assert.Equal(KnownCalls.Count, (await list.JsonAsync(HttpStatusCode.OK)).GetProperty("count").GetInt64());
        }
        await AssertConsistentAsync(client, "import-crash");
        await server.Store.ImportAsync(Enumerable.Range(0, 100).Select(i => TestCall.Completed($"call_after_{i:D3}")), "import-crash");
        using var after = await client.GetAsync("/api/v1/calls?limit=1", key);
        Assert.Equal(KnownCalls.Count + 100, (await after.JsonAsync(HttpStatusCode.OK)).GetProperty("count").GetInt64());
    }

    /// <summary>The store's own check passes (SQLite), and the list's counts, kept as tallies, equal a full scan per status.</summary>
    private async Task AssertConsistentAsync(HttpClient client, string workspace)
    {
        if (server.Store is SqliteStore)
        {
            Assert.Equal(["ok"], await server.Store.QueryAsync("PRAGMA integrity_check"));
        }
        var key = (await server.Store.CreateKeyAsync("can_read_calls", workspace)).Secret;
        foreach (var status in (string[])["", "completed", "failed", "in-progress"])
        {
            var scanned = (await server.Store.ExportLinesAsync(["--workspace", workspace, .. status.Length == 0 ? Array.Empty<string>() : ["--status", status]])).Length;
            using var list = await client.GetAsync($"/api/v1/calls?limit=1{(status.Length == 0 ? "" : "&status=" + status)}", key);
            Assert.Equal(scanned, (await list.JsonAsync(HttpStatusCode.OK)).GetProperty("count").GetInt64());
        }
    }
}

public sealed class CrashTestsOnSqlite(FaultServer<SqliteStore> server) : CrashTests<SqliteStore>(server), IClassFixture<FaultServer<SqliteStore>>;

public sealed class CrashTestsOnPostgres(FaultServer<PostgresStore> server) : CrashTests<PostgresStore>(server), IClassFixture<FaultServer<PostgresStore>>;
