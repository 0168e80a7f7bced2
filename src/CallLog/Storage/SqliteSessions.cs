using System.Collections.Concurrent;
using CallLog.Hosting;
using Microsoft.Data.Sqlite;

namespace CallLog.Storage;

/// <summary>
/// Open SQLite connections, each with the statements it has already compiled. Microsoft.Data.Sqlite
/// compiles every command's SQL again on every execution and throws the statements away when a pooled
/// connection closes (dotnet/efcore#14044), and compiling is a large share of a list request's store time
/// (docs/storage.md). A session stays open between requests and keeps one compiled command per SQL text,
/// so a request compiles nothing after the first few.
/// </summary>
internal sealed class SqliteSessions(string connectionString) : IDisposable
{
    /// <summary>Sessions kept open while idle; more may be open at a burst, and close when they come back.</summary>
    private const int MaxIdle = 32;

    /// <summary>
    /// Each connection's own page cache, in KiB (SQLite's default is 2 MiB). The newest calls of a big
    /// workspace lie on thousands of pages (rows, their contacts, the B-tree pages above them), which
    /// SQLite's default does not hold, so a session would read them again from the OS at every request
    /// (docs/storage.md). Filled only as pages are read: at most 8 MiB times the sessions open at once.
    /// </summary>
    private const int CacheKib = 8192;

    private readonly ConcurrentBag<SqliteSession> _idle = [];

    /// <summary>The one write transaction of this process at a time (<see cref="SqliteLease"/>); other processes still meet SQLite's own lock.</summary>
    public SemaphoreSlim Writer { get; } = new(1, 1);
    private int _idleCount;
    private bool _disposed;

    public async Task<SqliteSession> RentAsync(CancellationToken cancellationToken)
    {
        if (_idle.TryTake(out var session))
        {
            Interlocked.Decrement(ref _idleCount);
            return session;
        }
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA cache_size = -{CacheKib};";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return new SqliteSession(connection);
    }

    public void Return(SqliteSession session)
    {
        // A session that still holds a transaction (one left undisposed) is closed, which rolls it back.
        if (_disposed || session.InTransaction)
        {
            session.Dispose();
            return;
        }
        if (Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            session.Dispose();
            return;
        }
        _idle.Add(session);
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }
    }
}

/// <summary>One open connection and its compiled commands, used by one request at a time.</summary>
internal sealed class SqliteSession(SqliteConnection connection) : IDisposable
{
    /// <summary>Enough for every query shape the API builds; past it, new shapes are compiled per use.</summary>
    private const int MaxStatements = 256;

    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SQLitePCL.sqlite3_stmt> _raw = new(StringComparer.Ordinal);

    public SqliteConnection Connection { get; } = connection;

    public bool InTransaction => Connection.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) == 0;

    /// <summary>This SQL's compiled command, taken out of the cache until <see cref="Release"/>; or a new one.</summary>
    public SqliteCommand Take(string sql, out bool compiled)
    {
        compiled = _statements.Remove(sql, out var command);
        if (compiled)
        {
            return command!;
        }
        command = Connection.CreateCommand();
        command.CommandText = sql;
        Telemetry.StatementCompiled();
        return command;
    }

    /// <summary>Puts a command back for the next use of its SQL, without its parameters or transaction.</summary>
    public void Release(SqliteCommand command, bool compiled)
    {
        command.Parameters.Clear();
        command.Transaction = null;
        command.CommandTimeout = Connection.DefaultTimeout;
        if (command.CommandText.Length == 0 || _statements.Count + _raw.Count >= MaxStatements || _statements.ContainsKey(command.CommandText) ||
            (!compiled && !TryCompile(command)))
        {
            command.Dispose();
            return;
        }
        _statements.Add(command.CommandText, command);
    }

    /// <summary>
    /// This SQL compiled as a bare SQLite statement (one statement only), taken out of the cache until
    /// <see cref="ReleaseStatement"/>; for readers that step it themselves (<see cref="Calls.SqliteCallRows"/>).
    /// </summary>
    public SQLitePCL.sqlite3_stmt TakeStatement(string sql)
    {
        if (_raw.Remove(sql, out var statement))
        {
            return statement;
        }
        var db = Connection.Handle ?? throw new InvalidOperationException("The session's connection is closed.");
        var rc = SQLitePCL.raw.sqlite3_prepare_v2(db, sql, out statement);
        if (rc != SQLitePCL.raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }
        Telemetry.StatementCompiled();
        return statement;
    }

    /// <summary>Puts a statement back, reset and unbound, for the next use of its SQL.</summary>
    public void ReleaseStatement(string sql, SQLitePCL.sqlite3_stmt statement)
    {
        SQLitePCL.raw.sqlite3_reset(statement);
        SQLitePCL.raw.sqlite3_clear_bindings(statement);
        if (_statements.Count + _raw.Count >= MaxStatements || !_raw.TryAdd(sql, statement))
        {
            statement.Dispose();
        }
    }

    /// <summary>
    /// Marks the command compiled, so that its next execution reuses its statements. Executing alone does
    /// not: Microsoft.Data.Sqlite counts a command as prepared only once a reader has moved past its last
    /// statement, which a reader read to its last row never does. Compiling after the first execution
    /// also works for SQL whose later statements need its earlier ones to have run.
    /// </summary>
    private static bool TryCompile(SqliteCommand command)
    {
        try
        {
            command.Prepare();
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }
        _statements.Clear();
        foreach (var statement in _raw.Values)
        {
            statement.Dispose();
        }
        _raw.Clear();
        Connection.Dispose();
    }
}
