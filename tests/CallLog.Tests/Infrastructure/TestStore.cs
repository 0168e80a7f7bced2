using System.Data.Common;
using System.Text.Json;

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// A fresh, empty store and the CLI pointed at it. Each suite runs once per kind of store:
/// <see cref="SqliteStore"/> and <see cref="PostgresStore"/>.
/// </summary>
public abstract class TestStore : IAsyncDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("calllog-tests-");
    private string? _db;

    /// <summary>What --db is given. Using a store that is not available here skips the test, saying why.</summary>
    public string Db
    {
        get
        {
            if (_db is null)
            {
                Assert.Skip(Unavailable ?? "the store was not initialised");
            }
            return _db;
        }
    }

    /// <summary>Why this store cannot be tested here, or null.</summary>
    public string? Unavailable { get; private set; }

    public string PathFor(string fileName) => Path.Combine(_directory.FullName, fileName);

    public async Task InitializeAsync()
    {
        try
        {
            _db = await CreateAsync();
        }
        catch (StoreUnavailableException ex)
        {
            Unavailable = ex.Message;
        }
    }

    protected abstract Task<string> CreateAsync();

    /// <summary>Runs SQL on the store directly, behind the program's back: for tests that break the store on purpose.</summary>
    public async Task ExecuteSqlAsync(string sql) => await QueryAsync(sql);

    /// <summary>Reads the store directly: each row as its columns joined by '|', nulls as empty.</summary>
    public async Task<List<string>> QueryAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        do
        {
            while (await reader.ReadAsync())
            {
                rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
            }
        }
        while (await reader.NextResultAsync());
        return rows;
    }

    /// <summary>The calls table's indexes and triggers, as the store describes them, in a stable order.</summary>
    public abstract string CallsSchemaSql { get; }

    /// <summary>Each list index of calls with what identifies that index object: a dropped and rebuilt index gets a new one.</summary>
    public abstract string CallsIndexIdentitySql { get; }

    /// <summary>A connection to the store of the test's own, for holding locks or reading behind the program's back.</summary>
    public abstract Task<DbConnection> OpenConnectionAsync();

    public Task<CliResult> RunAsync(params string[] args) => CallLogProcess.RunAsync([.. args, "--db", Db]);

    public Task<CliResult> RunWithInputAsync(string stdin, params string[] args) => CallLogProcess.RunAsync([.. args, "--db", Db], stdin);

    public async Task<CliResult> SucceedAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>Creates a key through the CLI and returns its id and secret.</summary>
    public async Task<(string Id, string Secret)> CreateKeyAsync(string permissions, string workspace = "default", params string[] extra)
    {
        var result = await SucceedAsync(["keys", "create", "--name", "test", "--permissions", permissions, "--workspace", workspace, "--json", .. extra]);
        using var json = JsonDocument.Parse(result.Stdout);
        return (json.RootElement.GetProperty("id").GetString()!, json.RootElement.GetProperty("key").GetString()!);
    }

    public async Task ImportAsync(IEnumerable<TestCall> calls, string workspace = "default")
    {
        var file = PathFor($"import-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllLinesAsync(file, calls.Select(c => c.ToJson()));
        await SucceedAsync("import", file, "--workspace", workspace);
    }

    public async Task<string[]> ExportLinesAsync(params string[] args) =>
        (await SucceedAsync(["export", .. args])).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public virtual ValueTask DisposeAsync()
    {
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A server process may still be letting go of a file; the OS cleans temp anyway.
        }
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

public sealed class StoreUnavailableException(string message) : Exception(message);

/// <summary>A SQLite file in a temp directory.</summary>
public sealed class SqliteStore : TestStore
{
    protected override Task<string> CreateAsync() => Task.FromResult(PathFor("calllog.db"));

    public const string SchemaSql =
        "SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = 'calls' AND type IN ('index', 'trigger') ORDER BY type, name";

    // A new schema entry gets a new rowid (a root page number may be reused).
    public const string IndexIdentitySql =
        "SELECT name, rowid FROM sqlite_schema WHERE tbl_name = 'calls' AND type = 'index' AND sql IS NOT NULL ORDER BY name";

    public override string CallsSchemaSql => SchemaSql;

    public override string CallsIndexIdentitySql => IndexIdentitySql;

    public override Task<DbConnection> OpenConnectionAsync() => OpenAsync(Db);

    /// <summary>A connection of the test's own to a SQLite file.</summary>
    public static async Task<DbConnection> OpenAsync(string path)
    {
        var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }
}

/// <summary>A new database in the test run's PostgreSQL cluster.</summary>
public class PostgresStore : TestStore
{
    protected override async Task<string> CreateAsync()
    {
        var cluster = await ClusterAsync();
        return cluster.Unavailable is { } reason
            ? throw new StoreUnavailableException(reason)
            : await cluster.CreateDatabaseAsync();
    }

    /// <summary>The cluster this store's database lives in.</summary>
    protected virtual Task<PostgresCluster> ClusterAsync() => Task.FromResult(PostgresCluster.Current);

    public override string CallsSchemaSql =>
        """
        SELECT 'index', indexname, indexdef FROM pg_indexes WHERE tablename = 'calls'
        UNION ALL
        SELECT 'constraint', conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'calls'::regclass
        UNION ALL
        SELECT 'trigger', tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'calls'::regclass AND NOT tgisinternal
        ORDER BY 1, 2
        """;

    public override string CallsIndexIdentitySql =>
        "SELECT indexrelid::regclass::text, indexrelid::bigint FROM pg_index WHERE indrelid = 'calls'::regclass AND NOT indisunique ORDER BY 1";

    public override async Task<DbConnection> OpenConnectionAsync()
    {
        var database = new Uri(Db).AbsolutePath.TrimStart('/');
        var admin = new Npgsql.NpgsqlConnectionStringBuilder((await ClusterAsync()).AdminConnectionString) { Database = database };
        var connection = new Npgsql.NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}

/// <summary>A database in a PostgreSQL cluster of this store's own, which a test may stop and start.</summary>
public sealed class OwnClusterPostgresStore : PostgresStore
{
    private PostgresCluster? _cluster;

    public PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("not created");

    protected override async Task<PostgresCluster> ClusterAsync() => _cluster ??= await PostgresCluster.CreateOwnAsync();

    public override async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}
