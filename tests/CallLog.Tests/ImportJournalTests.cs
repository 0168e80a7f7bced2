using System.Diagnostics;
using CallLog.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace CallLog.Tests;

/// <summary>
/// SQLite: an import that has the file to itself writes through a rollback journal (no WAL to copy back
/// afterwards) and leaves the file in WAL mode, whether it lands or fails; one that shares the file with a
/// reader stays in WAL, so the reader keeps its snapshot and never waits for it.
/// </summary>
public sealed class ImportJournalTests : IAsyncLifetime
{
    private readonly SqliteStore _store = new();

    public async ValueTask InitializeAsync()
    {
        await _store.InitializeAsync();
        await _store.SucceedAsync("migrate");
    }

    public async ValueTask DisposeAsync() => await _store.DisposeAsync();

    private static IEnumerable<string> Lines(int from, int count) =>
        Enumerable.Range(from, count).Select(i => TestCall.Completed($"call_{i:D4}").ToJson());

    private Task<List<string>> JournalModeAsync() => _store.QueryAsync("PRAGMA journal_mode");

    [Fact]
    public async Task AnImportAloneWritesThroughARollbackJournalAndLeavesTheFileInWal()
    {
        var journal = _store.Db + "-journal";
        using var import = Process.Start(CallLogProcess.StartInfo(["import", "-", "--db", _store.Db]))!;
        var stdout = import.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = import.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        // More than one batch of lines (ReadAhead hands them over 256 at a time), then wait with the input
        // open: the import has written rows it has not committed, and its journal holds the pages they changed.
        foreach (var line in Lines(0, 300))
        {
            await import.StandardInput.WriteLineAsync(line);
        }
        await import.StandardInput.FlushAsync(TestContext.Current.CancellationToken);
        using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            waiting.CancelAfter(TimeSpan.FromMinutes(1));
            while (!File.Exists(journal))
            {
                await Task.Delay(20, waiting.Token);
            }
        }

        Assert.Equal(["delete"], await JournalModeAsync());
        Assert.Equal(["0"], await _store.QueryAsync("SELECT COUNT(*) FROM calls"));

        foreach (var line in Lines(300, 100))
        {
            await import.StandardInput.WriteLineAsync(line);
        }
        import.StandardInput.Close();
        await import.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(import.ExitCode == 0, await stderr);
        Assert.Contains("Imported 400 calls", await stdout, StringComparison.Ordinal);
        Assert.Equal(["wal"], await JournalModeAsync());
        Assert.False(File.Exists(journal));
        Assert.Equal(["400"], await _store.QueryAsync("SELECT COUNT(*) FROM calls"));

        // A failed import alone rolls back through the journal and leaves WAL as well.
        var failing = await _store.RunWithInputAsync(string.Join('\n', [.. Lines(400, 300), """{"id": "call_bad"}"""]), "import", "-");
        Assert.NotEqual(0, failing.ExitCode);
        Assert.Equal(["wal"], await JournalModeAsync());
        Assert.Equal(["400"], await _store.QueryAsync("SELECT COUNT(*) FROM calls"));
        Assert.Equal(["ok"], await _store.QueryAsync("PRAGMA integrity_check"));
    }

    [Fact]
    public async Task AnImportBesideAReaderStaysInWalAndTheReaderKeepsItsSnapshot()
    {
        await using var reader = (SqliteConnection)await _store.OpenConnectionAsync();
        // Deferred: a read transaction (Microsoft.Data.Sqlite's default, IMMEDIATE, would take the write lock).
        await using var snapshot = reader.BeginTransaction(deferred: true);
        await using var count = reader.CreateCommand();
        count.Transaction = snapshot;
        count.CommandText = "SELECT COUNT(*) FROM calls";
        Assert.Equal(0L, await count.ExecuteScalarAsync(TestContext.Current.CancellationToken));

        // Through a rollback journal its commit would wait for this open read and then fail as locked.
        var import = await _store.RunWithInputAsync(string.Join('\n', Lines(0, 300)), "import", "-");

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal(0L, await count.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        await snapshot.CommitAsync(TestContext.Current.CancellationToken);
        await using var after = reader.CreateCommand();
        after.CommandText = "SELECT COUNT(*) FROM calls";
        Assert.Equal(300L, await after.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        after.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await after.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }
}
