using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace CallLog.Storage;

/// <summary>
/// What <see cref="SqliteDatabase.OpenAsync"/> hands out: a <see cref="SqliteSession"/> for one unit of
/// work, as an ordinary open connection (Dapper and the stores use it unchanged). Its commands reuse the
/// session's compiled statements; disposing it gives the session back instead of closing it.
/// </summary>
internal sealed class SqliteLease(SqliteSessions sessions, SqliteSession session, CancellationToken cancellationToken) : DbConnection
{
    private readonly CancellationTokenRegistration _interrupt = SqliteDatabase.InterruptWhenCanceled(session.Connection, cancellationToken);
    private readonly List<SqliteCachedCommand> _commands = [];
    private SqliteSession? _session = session;
    private bool _writing;

    internal SqliteSession Session => _session ?? throw new ObjectDisposedException(nameof(SqliteLease));

    [AllowNull]
    public override string ConnectionString
    {
        get => Session.Connection.ConnectionString;
        set => throw new NotSupportedException("A leased SQLite connection keeps the store's connection string.");
    }

    public override string Database => Session.Connection.Database;

    public override string DataSource => Session.Connection.DataSource;

    public override string ServerVersion => Session.Connection.ServerVersion;

    public override ConnectionState State => _session is null ? ConnectionState.Closed : ConnectionState.Open;

    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();

    public override void Open()
    {
        // Leased open; nothing to do.
    }

    public override void Close() => Release();

    /// <summary>
    /// A transaction here is a write (BEGIN IMMEDIATE), and SQLite takes one writer at a time; a writer that
    /// finds the file busy is put to sleep by Microsoft.Data.Sqlite for 150 ms before it tries again. So the
    /// writers of this process queue for <see cref="SqliteSessions.Writer"/> instead, and wait only as long
    /// as the transactions ahead of them take. Held until the lease is released.
    /// </summary>
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel)
    {
        if (!_writing)
        {
            sessions.Writer.Wait(cancellationToken);
            _writing = true;
        }
        return Session.Connection.BeginTransaction(isolationLevel);
    }

    protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken)
    {
        if (!_writing)
        {
            await sessions.Writer.WaitAsync(cancellationToken);
            _writing = true;
        }
        return Session.Connection.BeginTransaction(isolationLevel);
    }

    protected override DbCommand CreateDbCommand()
    {
        var command = new SqliteCachedCommand(this);
        _commands.Add(command);
        return command;
    }

    internal void Forget(SqliteCachedCommand command) => _commands.Remove(command);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Release();
        }
        base.Dispose(disposing);
    }

    private void Release()
    {
        if (_session is not { } leased)
        {
            return;
        }
        // Commands not disposed by their users go back now: Dapper's ExecuteReaderAsync leaves its command
        // to the reader it returns, whose DisposeAsync does not dispose it.
        foreach (var command in _commands.ToArray())
        {
            command.Dispose();
        }
        _session = null;
        // Waits for a callback already running: no interrupt reaches the session's next user.
        _interrupt.Dispose();
        sessions.Return(leased);
        if (_writing)
        {
            _writing = false;
            sessions.Writer.Release();
        }
    }
}
