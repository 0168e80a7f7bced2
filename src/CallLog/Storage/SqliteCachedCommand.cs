using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace CallLog.Storage;

/// <summary>
/// A command on a <see cref="SqliteLease"/>: setting its text takes the session's compiled command for
/// that SQL; disposing it puts that command back, compiled, for the next request. It reaches the session
/// through its lease only, so a command used after its lease ended throws instead of touching a session
/// that may be another request's by then; the lease disposes its commands before it lets the session go.
/// </summary>
internal sealed class SqliteCachedCommand(SqliteLease lease) : DbCommand
{
    private SqliteCommand? _command;
    private bool _compiled;
    private DbTransaction? _transaction;
    private int? _timeout;

    /// <summary>The compiled command; a command used before it has text is an uncached one.</summary>
    private SqliteCommand Command => _command ??= lease.Session.Connection.CreateCommand();

    [AllowNull]
    public override string CommandText
    {
        get => _command?.CommandText ?? "";
        set
        {
            if (_command is not null)
            {
                _command.CommandText = value;
                _compiled = false;
                return;
            }
            _command = lease.Session.Take(value ?? "", out _compiled);
            _command.Transaction = (SqliteTransaction?)_transaction;
            if (_timeout is { } timeout)
            {
                _command.CommandTimeout = timeout;
            }
        }
    }

    public override int CommandTimeout
    {
        get => _command?.CommandTimeout ?? _timeout ?? lease.Session.Connection.DefaultTimeout;
        set
        {
            _timeout = value;
            if (_command is not null)
            {
                _command.CommandTimeout = value;
            }
        }
    }

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new NotSupportedException("SQLite runs SQL text only.");
            }
        }
    }

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection
    {
        get => lease;
        set => throw new NotSupportedException("A leased command stays on its lease.");
    }

    protected override DbParameterCollection DbParameterCollection => Command.Parameters;

    protected override DbTransaction? DbTransaction
    {
        get => _transaction;
        set
        {
            _transaction = value;
            if (_command is not null)
            {
                _command.Transaction = (SqliteTransaction?)value;
            }
        }
    }

    public override void Cancel() => _command?.Cancel();

    public override int ExecuteNonQuery() => Command.ExecuteNonQuery();

    public override object? ExecuteScalar() => Command.ExecuteScalar();

    public override void Prepare() => Command.Prepare();

    protected override DbParameter CreateDbParameter() => Command.CreateParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Command.ExecuteReader(behavior);

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => Command.ExecuteNonQueryAsync(cancellationToken);

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => Command.ExecuteScalarAsync(cancellationToken);

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        await Command.ExecuteReaderAsync(behavior, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lease.Forget(this);
            if (_command is { } command)
            {
                _command = null;
                lease.Session.Release(command, _compiled);
            }
        }
        base.Dispose(disposing);
    }
}
