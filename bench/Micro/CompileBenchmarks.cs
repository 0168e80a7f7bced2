using BenchmarkDotNet.Attributes;
using CallLog.Calls;
using CallLog.Calls.List;
using CallLog.Storage;

namespace CallLog.Micro;

/// <summary>
/// Only compiling a list request's two statements on a plain SQLite connection, without running them: what
/// every request paid before the store's sessions kept them compiled (Microsoft.Data.Sqlite keeps no
/// statement once its command is disposed).
/// </summary>
[MemoryDiagnoser]
public class CompileBenchmarks
{
    private MicroStore _store = null!;
    private Microsoft.Data.Sqlite.SqliteConnection _plain = null!;
    private CallFilter _filter = null!;
    private CallListQuery _query = null!;

    [Params(10, 100)]
    public int Limit { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _store = new MicroStore("sqlite");
        _plain = ((SqliteDatabase)_store.Database).OpenUnsharedAsync(CancellationToken.None).GetAwaiter().GetResult();
        _query = new CallListQuery(new CallConditions(), Limit: Limit);
        _filter = new CallFilter(_store.WorkspaceId, null, null, null, _query.Conditions);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _store.Dispose();
    }

    [Benchmark]
    public async Task<int> PrepareOnly()
    {
        var (count, _) = CallListSql.CountQuery(_filter, _store.Database);
        var (page, _) = CallListSql.PageQuery(_filter, _query.Sort, null, 0, Limit + 1, _store.Database);
        var prepared = 0;
        foreach (var sql in new[] { count, page })
        {
            await using var command = _plain.CreateCommand();
            command.CommandText = sql;
            await command.PrepareAsync();
            prepared++;
        }
        return prepared;
    }
}
