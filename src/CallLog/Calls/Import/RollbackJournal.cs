using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CallLog.Calls;

/// <summary>
/// An import that has the database file to itself writes through a rollback journal instead of the WAL.
/// In WAL mode every page of a large import is written twice (to the WAL, then copied into the file at
/// the checkpoint after commit: 25 s of a 10M import), and each page an index build reads back from a
/// WAL of a million frames is a search through its hash tables (walFindFrame: a fifth of the index
/// builds). With a rollback journal the new pages go straight into the file and only the few pages that
/// existed before are journaled, so a failed import still rolls back whole (FULL sync: see
/// SqliteCallImport). Demo calls into an empty file: 1M 11.8-12.2 s -> 9.6-10.1 s, 10M 138 s -> 102 s.
/// SQLite changes the mode only when no other connection has the file open (a server, an export): then
/// the import stays in WAL mode, as before, and others keep reading while it writes. The price: a
/// process that opens the file during a journaled import waits for it, and gives up after the busy
/// timeout (30 s), so a server started during a first load of minutes reports the file locked.
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
