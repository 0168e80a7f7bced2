using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CallLog.Calls.Import;

/// <summary>
/// The import's call upsert as one SQLite statement driven directly (SQLitePCL, the layer under
/// Microsoft.Data.Sqlite): bound by position, stepped, reset, where a DbCommand would box every value,
/// look up every parameter by name and open a data reader per row. Text is bound as UTF-8 from one reused buffer, as
/// Microsoft.Data.Sqlite binds it (the same bytes: an export of both imports is identical).
/// </summary>
internal sealed class SqliteCallUpsert : IDisposable
{
    private const string Sql = CallSql.InsertCall + "\nVALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)\n" + CallSql.UpdateCallOnConflict;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private byte[] _utf8 = new byte[1024];

    /// <summary>Prepared on the import's connection, so it writes inside the import's transaction.</summary>
    public SqliteCallUpsert(SqliteConnection connection)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, Sql, out _statement));
    }

    public void Write(long workspaceId, Call call)
    {
        Check(raw.sqlite3_bind_int64(_statement, 1, workspaceId));
        BindText(2, call.Id);
        BindText(3, call.AgentId);
        Check(raw.sqlite3_bind_int64(_statement, 4, (int)call.Status));
        Check(raw.sqlite3_bind_int64(_statement, 5, (int)call.Type));
        BindText(6, call.PhoneNumber);
        Check(raw.sqlite3_bind_int64(_statement, 7, call.StartedAt.ToUnixTimeSeconds()));
        BindNumber(8, call.EndedAt?.ToUnixTimeSeconds());
        BindNumber(9, call.DurationSeconds);
        BindText(10, call.Summary);
        BindText(11, call.RecordingUrl);
        BindNumber(12, call.Contact?.Id);
        var stepped = raw.sqlite3_step(_statement);
        var reset = raw.sqlite3_reset(_statement);
        Check(stepped == raw.SQLITE_DONE ? reset : stepped);
    }

    public void Dispose() => _statement.Dispose();

    private void BindText(int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(_statement, index));
            return;
        }
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length > _utf8.Length)
        {
            _utf8 = new byte[Math.Max(length, _utf8.Length * 2)];
        }
        var written = Encoding.UTF8.GetBytes(value, _utf8);
        // SQLitePCL binds with SQLITE_TRANSIENT: SQLite copies the bytes, so the buffer can be reused.
        Check(raw.sqlite3_bind_text(_statement, index, _utf8.AsSpan(0, written)));
    }

    private void BindNumber(int index, long? value) =>
        Check(value is { } number ? raw.sqlite3_bind_int64(_statement, index, number) : raw.sqlite3_bind_null(_statement, index));

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
