using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Dapper;
using DbUp;
using DbUp.Engine;
using Microsoft.Data.Sqlite;

namespace CallLog.Storage;

internal sealed class SqliteDatabase : Database
{
    private readonly string _path;
    private readonly string _connectionString;
    private readonly SqliteSessions _sessions;

    /// <summary>
    /// Before SQLite initializes (the first connection): memory statistics off, as SQLite recommends, since
    /// with them every allocation takes one process-wide mutex; and multi-thread mode, since every
    /// connection and its statements are used by one thread at a time (a session is rented by one request,
    /// <see cref="SqliteSessions"/>; commands are disposed where they are made). <c>sqlite3_interrupt</c>,
    /// which a canceled request calls from another thread, is safe in any mode. What each is worth:
    /// docs/storage.md. If something initialized SQLite first, the calls are refused and it keeps its defaults.
    /// </summary>
    static SqliteDatabase()
    {
        SQLitePCL.Batteries_V2.Init();
        _ = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
        _ = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD);
    }

    private SqliteDatabase(string path)
    {
        _path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            // Sessions (below) keep connections open themselves.
            Pooling = false,
            // Microsoft.Data.Sqlite retries a busy database until the command timeout, so a server
            // reading while `calllog import` writes waits instead of failing.
            DefaultTimeout = 30,
        }.ToString();
        _sessions = new SqliteSessions(_connectionString);
    }

    public override string Description => _path;

    /// <summary>Every index entry carries it, so the page's ranges still read their index alone.</summary>
    public override string? RowId(bool skips) => "rowid";

    /// <summary>SQLite's LIKE reads its bound pattern while planning, so a statement with one is compiled again at every run.</summary>
    public override PhoneMatch PhoneMatch => PhoneMatch.Range;

    public override string CallIdIn(string column) => $"json_extract({column}, '$.call.id')";

    public override string ExplainPrefix(bool analyze) => "EXPLAIN QUERY PLAN ";

    /// <summary>SQLite's statement stepped in place (<see cref="SqliteRows"/>), kept compiled in the session.</summary>
    public override Task<StoreRows> OpenRowsAsync(DbConnection connection, string sql, DynamicParameters parameters, CancellationToken cancellationToken) =>
        Task.FromResult<StoreRows>(new SqliteRows(Lease(connection).Session, sql, parameters));

    /// <summary>In process there is no round trip to save: the first query runs alone, then the rows' statement is stepped.</summary>
    public override async Task<(T First, StoreRows Rows)> OpenRowsAfterAsync<T>(
        DbConnection connection, (string Sql, DynamicParameters Parameters) first, Func<DbDataReader, CancellationToken, Task<T>> read,
        (string Sql, DynamicParameters Parameters) rows, CancellationToken cancellationToken)
    {
        T result;
        await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(first.Sql, first.Parameters, cancellationToken: cancellationToken)))
        {
            result = await read(reader, cancellationToken);
        }
        return (result, await OpenRowsAsync(connection, rows.Sql, rows.Parameters, cancellationToken));
    }

    private static SqliteLease Lease(DbConnection connection) =>
        connection as SqliteLease ?? throw new ArgumentException("Not a connection from SqliteDatabase.OpenAsync.", nameof(connection));

    public static bool TryCreate(string path, [NotNullWhen(true)] out SqliteDatabase? database, [NotNullWhen(false)] out string? error)
    {
        database = null;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            error = $"--db: the directory '{directory}' does not exist.";
            return false;
        }
        database = new SqliteDatabase(path);
        error = null;
        return true;
    }

    /// <summary>
    /// A connection for one unit of work, from sessions kept open with their compiled statements
    /// (<see cref="SqliteSessions"/>). No per-connection pragmas here beyond the sessions' read cache: the
    /// importer, the one large writer, uses a connection of its own (<see cref="OpenUnsharedAsync"/>) for
    /// the pragmas it sets.
    /// </summary>
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        new SqliteLease(_sessions, await _sessions.RentAsync(cancellationToken), cancellationToken);

    public override void Dispose() => _sessions.Dispose();

    /// <summary>Below this much free space on its disk a SQLite commit may fail (SQLITE_FULL): a write's pages go to the WAL first.</summary>
    private const long MinimumFreeBytes = 1 << 20;

    protected override string? WriteProblem()
    {
        try
        {
            var free = new DriveInfo(Path.GetDirectoryName(Path.GetFullPath(_path))!).AvailableFreeSpace;
            return free < MinimumFreeBytes ? $"the disk holding {_path} is full ({free:N0} bytes free); writes fail until space is freed" : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // A file system DriveInfo cannot describe: readiness rests on the query alone.
            return null;
        }
    }

    /// <summary>A connection no one else will use after it closes: for work that changes the connection's own settings.</summary>
    public async Task<SqliteConnection> OpenUnsharedAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        var interrupt = InterruptWhenCanceled(connection, cancellationToken);
        connection.StateChange += (_, change) =>
        {
            if (change.CurrentState == System.Data.ConnectionState.Closed)
            {
                interrupt.Dispose();
            }
        };
        return connection;
    }

    /// <summary>
    /// Microsoft.Data.Sqlite does not stop a running statement when its token is canceled (dotnet/efcore
    /// #38757): a client that gave up on a slow request would leave its query running. This interrupts
    /// the connection's statement instead, until the registration is disposed (which waits for a callback
    /// already running, so no interrupt reaches the connection's next user).
    /// </summary>
    internal static CancellationTokenRegistration InterruptWhenCanceled(SqliteConnection connection, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static state =>
            {
                if (((SqliteConnection)state!).Handle is { } handle)
                {
                    SQLitePCL.raw.sqlite3_interrupt(handle);
                }
            }, connection)
            : default;

    protected override UpgradeEngine Migrations() => Migrations(DeployChanges.To.SqliteDatabase(_connectionString), "Sqlite");

    public override string? Migrate()
    {
        // Several processes may start at once on one file (two `serve`s, or `serve` and `import`):
        // an exclusive lock on a file beside the database lets one migrate while the others wait.
        using var migrationLock = AcquireMigrationLock(out var lockError);
        if (migrationLock is null)
        {
            return MigrationFailed(new IOException(lockError));
        }
        try
        {
            using (var connection = new SqliteConnection(_connectionString))
            {
                connection.Open();
                using var wal = connection.CreateCommand();
                // WAL is a property of the file: readers (the server) and one writer (an import) do not block each other.
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                wal.ExecuteNonQuery();
            }
        }
        catch (SqliteException ex)
        {
            return MigrationFailed(ex);
        }
        if (Upgrade() is { } failed)
        {
            return failed;
        }
        try
        {
            // Best effort: with a long import writing, this waits out the busy timeout and moves on;
            // the import refreshes the statistics itself when it commits.
            using var statistics = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { DefaultTimeout = 2 }.ToString());
            statistics.Open();
            AnalyzeAsync(statistics, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (SqliteException)
        {
        }
        return null;
    }

    /// <summary>
    /// Refreshes the planner's statistics from a sample (analysis_limit keeps it to milliseconds at any
    /// size): without them SQLite guesses, and can read a day of all agents through one agent's index.
    /// Run after migrations and after every import.
    /// </summary>
    public static async Task AnalyzeAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken)
    {
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "PRAGMA analysis_limit = 1000; ANALYZE;";
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }

    private FileStream? AcquireMigrationLock(out string? error)
    {
        var path = _path + ".migration-lock";
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            try
            {
                error = null;
                // FileShare.None is an exclusive advisory lock on Linux and macOS, a share lock on Windows.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex) when (HeldByAnother(ex) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error = ex is IOException io && HeldByAnother(io) ? $"another process held {path} for over a minute" : $"cannot create {path}: {ex.Message}";
                return null;
            }
        }
    }

    /// <summary>
    /// The lock is taken (EWOULDBLOCK on Unix, a sharing violation on Windows), as opposed to a file that
    /// cannot be made at all (a read-only or full file system), which waiting does not mend.
    /// </summary>
    private static bool HeldByAnother(IOException error) => error.HResult is 11 or unchecked((int)0x80070020);
}
