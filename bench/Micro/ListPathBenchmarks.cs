using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CallLog.Calls;
using CallLog.Demo;
using CallLog.Storage;

namespace CallLog.Micro;

/// <summary>
/// The three parts of answering GET /api/v1/calls after authentication: building the SQL, reading a page
/// of rows from the store (SQLite, a file of 10k demo calls), and writing the page as JSON; and what
/// compiling the SQL would add to reading if the store's sessions did not keep it compiled. Allocations per operation divided by the page's rows is the per-row
/// cost the results quote.
/// </summary>
[MemoryDiagnoser]
public class ListPathBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private string _directory = "";
    private SqliteDatabase _database = null!;
    private Microsoft.Data.Sqlite.SqliteConnection _plain = null!;
    private CallQueries _queries = null!;
    private CallFilter _filter = null!;
    private CallListQuery _query = null!;
    private CallPage _page = null!;
    private long _workspaceId;

    /// <summary>Rows per page: the default and the largest.</summary>
    [Params(10, 100)]
    public int Limit { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("calllog-micro-").FullName;
        if (!SqliteDatabase.TryCreate(Path.Combine(_directory, "micro.db"), out var database, out var error) || database.Migrate() is { } failed)
        {
            throw new InvalidOperationException(error ?? "migration failed");
        }
        _database = database;
        var lines = DemoData.Generate(10_000, 1, "default").Select((call, i) => new ImportLine(i + 1, call, null)).ToAsyncEnumerable();
        if (new CallImporter(database).ImportAsync("default", lines, CancellationToken.None).GetAwaiter().GetResult().Error is { } importError)
        {
            throw new InvalidOperationException(importError);
        }
        _workspaceId = 1;
        var cursors = new CursorCodec(database);
        cursors.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        _queries = new CallQueries(database, cursors);
        _query = new CallListQuery(new CallConditions(), Limit: Limit);
        _filter = new CallFilter(_workspaceId, null, null, null, _query.Conditions);
        _page = _queries.ListAsync(_workspaceId, _query, null, CancellationToken.None).GetAwaiter().GetResult();
        _plain = database.OpenUnsharedAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The count and page SQL with their parameters, as the list builds them per request.</summary>
    [Benchmark]
    public int BuildQueries()
    {
        var (count, _) = CallQueries.CountQuery(_filter, _database);
        var (page, _) = CallQueries.PageQuery(_filter, _query.Sort, null, 0, Limit + 1, _database);
        return count.Length + page.Length;
    }

    /// <summary>Count and page from the store, rows read into calls, next cursor signed.</summary>
    [Benchmark]
    public async Task<int> ReadPage() => (await _queries.ListAsync(_workspaceId, _query, null, CancellationToken.None)).Calls.Count;

    /// <summary>
    /// Only compiling ReadPage's two statements, on a plain open connection, without running them: what
    /// every request paid before SQLite sessions kept them compiled (Microsoft.Data.Sqlite keeps no
    /// statement once its command is disposed).
    /// </summary>
    [Benchmark]
    public async Task<int> PrepareOnly()
    {
        var connection = _plain;
        var (count, _) = CallQueries.CountQuery(_filter, _database);
        var (page, _) = CallQueries.PageQuery(_filter, _query.Sort, null, 0, Limit + 1, _database);
        var prepared = 0;
        foreach (var sql in new[] { count, page })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.PrepareAsync();
            prepared++;
        }
        return prepared;
    }

    /// <summary>The page as the response's JSON, through the source-generated serializer.</summary>
    [Benchmark]
    public int WriteJson()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        JsonSerializer.Serialize(writer, _page, CallLogJson.Wire.CallPage);
        return _buffer.WrittenCount;
    }
}
