using CallLog.Calls;
using CallLog.Calls.Import;
using CallLog.Calls.List;
using CallLog.Demo;
using CallLog.Storage;

namespace CallLog.Micro;

/// <summary>
/// The store the micro-benchmarks read: a fresh SQLite file, or the PostgreSQL database named by
/// CALLLOG_MICRO_POSTGRES (a postgres:// URL of an empty database, e.g. from bench/pg-cluster.sh), each
/// with 10,000 demo calls in workspace "default".
/// </summary>
internal sealed class MicroStore : IDisposable
{
    public const string PostgresVariable = "CALLLOG_MICRO_POSTGRES";

    private readonly string? _directory;
    private readonly PageStarts _starts = new(Microsoft.Extensions.Options.Options.Create(new PagingOptions()));

    /// <summary>"sqlite", and "postgres" when <see cref="PostgresVariable"/> names a database.</summary>
    public static IEnumerable<string> Available() =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PostgresVariable)) ? ["sqlite"] : ["sqlite", "postgres"];

    public MicroStore(string store)
    {
        string target;
        if (store == "postgres")
        {
            target = Environment.GetEnvironmentVariable(PostgresVariable)!;
        }
        else
        {
            _directory = Directory.CreateTempSubdirectory("calllog-micro-").FullName;
            target = Path.Combine(_directory, "micro.db");
        }
        if (!Database.TryOpen(target, out var database, out var error) || database.Migrate() is { } failed)
        {
            throw new InvalidOperationException(error ?? "migration failed");
        }
        Database = database;
        var lines = DemoData.Generate(10_000, 1, "default").Select((call, i) => new ImportLine(i + 1, call, null)).ToAsyncEnumerable();
        if (new CallImporter(database).ImportAsync("default", lines, CancellationToken.None).GetAwaiter().GetResult().Error is { } importError)
        {
            throw new InvalidOperationException(importError);
        }
        var cursors = new CursorCodec(database);
        cursors.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        List = new CallList(database, cursors, _starts);
    }

    public Database Database { get; }

    public CallList List { get; }

    /// <summary>The demo workspace's id in a store that had no other workspace.</summary>
    public long WorkspaceId => 1;

    public void Dispose()
    {
        _starts.Dispose();
        Database.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
