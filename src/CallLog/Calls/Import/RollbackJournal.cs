using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CallLog.Calls.Import;

/// <summary>
/// An import that has the database file to itself writes through a rollback journal instead of the WAL:
/// in WAL mode every page of a large import is written twice (the WAL, then the checkpoint), and an index
/// build reads its pages back through the WAL's hash tables. With a rollback journal new pages go straight
/// into the file and only pages that existed before are journaled, so a failed import still rolls back
/// whole (FULL sync: see SqliteCallImport). SQLite changes the mode only when no other connection has the
/// file open (a server, an export); otherwise the import writes through the WAL and others keep reading.
/// The price: a process that opens the file during a journaled import waits for it, up to the busy
/// timeout (30 s). What it saves: docs/storage.md.
/// </summary>
internal static class RollbackJournal
{
    /// <summary>Switches the file to a rollback journal if this connection is its only one; says whether it did.</summary>
    public static bool TryEnter(SqliteConnection connection)
    {
        // Straight through SQLitePCL: leaving WAL needs an exclusive lock, and Microsoft.Data.Sqlite would
        // retry a busy file for its whole command timeout; busy here means someone else is reading.
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        if (raw.sqlite3_prepare_v2(db, "PRAGMA journal_mode = DELETE", out var statement) != raw.SQLITE_OK)
        {
            statement.Dispose();
            return false;
        }
        using (statement)
        {
            if (raw.sqlite3_step(statement) != raw.SQLITE_ROW || raw.sqlite3_column_text(statement, 0).utf8_to_string() != "delete")
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Back to WAL, which migrations also set whenever a process opens the file: if another process has
    /// opened it meanwhile, the switch waits for it or fails, and the next start switches instead.
    /// </summary>
    public static async Task LeaveAsync(SqliteConnection connection)
    {
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL;";
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (SqliteException)
        {
        }
    }
}
