using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CallLog.Storage;

/// <summary>
/// Rows from SQLite's statement, stepped directly (SQLitePCL, the layer under Microsoft.Data.Sqlite):
/// a text column is SQLite's own UTF-8 bytes, read in place, where <c>SqliteDataReader.GetString</c> decodes
/// each into a new string. The statement stays compiled in the session (<see cref="SqliteSession.TakeStatement"/>);
/// a canceled request still interrupts it (the lease's interrupt is on the same connection). Columns are read
/// through the statement's pointer (<see cref="SqliteColumns"/>), with one reference held on it from here to
/// <see cref="DisposeAsync"/> instead of one per call.
/// </summary>
internal sealed class SqliteRows : StoreRows
{
    private readonly SqliteSession _session;
    private readonly string _sql;
    private readonly sqlite3 _db;
    private sqlite3_stmt? _statement;
    private nint _pointer;
    private bool _stepped;
    private bool _done;

    public SqliteRows(SqliteSession session, string sql, DynamicParameters parameters)
    {
        _session = session;
        _sql = sql;
        _db = session.Connection.Handle ?? throw new InvalidOperationException("The session's connection is closed.");
        _statement = session.TakeStatement(sql);
        try
        {
            var referenced = false;
            _statement.DangerousAddRef(ref referenced);
            _pointer = _statement.DangerousGetHandle();
            foreach (var name in parameters.ParameterNames)
            {
                Bind(name, parameters.Get<object?>(name));
            }
        }
        catch
        {
            Release();
            throw;
        }
    }

    private sqlite3_stmt Statement => _statement ?? throw new ObjectDisposedException(nameof(SqliteRows));

    private void Bind(string name, object? value)
    {
        var index = raw.sqlite3_bind_parameter_index(Statement, "@" + name);
        if (index == 0)
        {
            return; // Dapper too binds only the parameters the SQL names.
        }
        Check(value switch
        {
            null => raw.sqlite3_bind_null(Statement, index),
            string text => raw.sqlite3_bind_text(Statement, index, text),
            long number => raw.sqlite3_bind_int64(Statement, index, number),
            int number => raw.sqlite3_bind_int64(Statement, index, number),
            short number => raw.sqlite3_bind_int64(Statement, index, number),
            _ => throw new NotSupportedException($"A page's parameter of type {value.GetType().Name}."),
        });
    }

    public override ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_done)
        {
            return ValueTask.FromResult(false); // stepping a finished statement would run it again
        }
        var rc = raw.sqlite3_step(Statement);
        // Microsoft.Data.Sqlite's own wait for a busy database (an import committing), up to its command timeout.
        if (!_stepped && rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
        {
            var waited = Stopwatch.StartNew();
            while (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED && waited.Elapsed.TotalSeconds < _session.Connection.DefaultTimeout)
            {
                raw.sqlite3_reset(Statement);
                Thread.Sleep(150);
                rc = raw.sqlite3_step(Statement);
            }
        }
        _stepped = true;
        if (rc == raw.SQLITE_ROW)
        {
            return ValueTask.FromResult(true);
        }
        _done = true;
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        return ValueTask.FromResult(false);
    }

    private nint Pointer => _pointer != 0 ? _pointer : throw new ObjectDisposedException(nameof(SqliteRows));

    public override bool IsNull(int column) => SqliteColumns.Type(Pointer, column) == raw.SQLITE_NULL;

    public override long GetInt64(int column) => SqliteColumns.Int64(Pointer, column);

    public override ReadOnlySpan<byte> GetUtf8(int column) => SqliteColumns.Utf8(Pointer, column);

    public override ValueTask DisposeAsync()
    {
        Release();
        return ValueTask.CompletedTask;
    }

    private void Release()
    {
        if (_statement is { } statement)
        {
            _statement = null;
            if (_pointer != 0)
            {
                _pointer = 0;
                statement.DangerousRelease();
            }
            _session.ReleaseStatement(_sql, statement);
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
