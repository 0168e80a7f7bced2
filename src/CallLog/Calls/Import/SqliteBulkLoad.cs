using System.Data.Common;
using Dapper;

namespace CallLog.Calls.Import;

/// <summary>
/// A large import into SQLite: drop the list indexes and the tally triggers, write the rows against the
/// unique key alone, then build each index in one sorted pass and count the workspace's tallies once.
/// Inserting calls with random ids and times into eight indexes is eight random B-tree writes per
/// call; building them afterwards is a sort. All of it runs inside the import's transaction, so a failed
/// import rolls the schema back with the rows, and readers (WAL) keep seeing the indexes until commit.
/// The definitions come from the schema itself, so the migrations stay the one place that states them.
/// </summary>
internal sealed class SqliteBulkLoad
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly List<string> _definitions;

    private SqliteBulkLoad(DbConnection connection, DbTransaction transaction, List<string> definitions) =>
        (_connection, _transaction, _definitions) = (connection, transaction, definitions);

    /// <summary>How many calls an import writes before it switches to a bulk load.</summary>
    public static async Task<long> ThresholdAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // Small imports never pay for a rebuild of the whole table: the switch happens only once an import
        // has written as many calls as the table held before it (and at least BulkMinimumRows). Into an
        // empty table it happens at once: the builds then sort only what this import wrote.
        // MAX(rowid) is one B-tree descent, and never below the row count.
        var existing = await connection.ExecuteScalarAsync<long>(CallImporter.Untimed("SELECT COALESCE(MAX(rowid), 0) FROM calls", transaction, cancellationToken));
        return existing == 0 ? 0 : Math.Max(existing, CallImporter.BulkMinimumRows);
    }

    public static async Task<SqliteBulkLoad> BeginAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // sql IS NULL: the index SQLite made for UNIQUE (workspace_id, id), which the upserts need. Only
        // the tally triggers: EndAsync redoes their work; another trigger's would be lost.
        const string Schema =
            """
            SELECT type, name, sql FROM sqlite_schema
            WHERE tbl_name = 'calls' AND sql IS NOT NULL AND (type = 'index' OR (type = 'trigger' AND name LIKE 'calls\_tally\_%' ESCAPE '\'))
            """;
        var schema = (await connection.QueryAsync<(string Type, string Name, string Sql)>(CallImporter.Untimed(Schema, transaction, cancellationToken))).ToList();
        var drops = schema.Select(item => $"DROP {item.Type.ToUpperInvariant()} \"{item.Name}\";");
        await connection.ExecuteAsync(CallImporter.Untimed(string.Join('\n', drops), transaction, cancellationToken));
        // Indexes first, then the triggers that keep tallies from then on.
        return new SqliteBulkLoad(connection, transaction, [.. schema.OrderBy(item => item.Type == "trigger").Select(item => item.Sql)]);
    }

    public async Task EndAsync(long workspaceId, CancellationToken cancellationToken)
    {
        // How SQLite sorts an index's entries: while they fit in the page cache, in one list sorted on this
        // thread at the end; past it, in cache-sized runs, each sorted on a helper thread while this one
        // reads on, then merged. With temp_store = MEMORY it never makes runs at all. So for the builds:
        // runs in temp files and a small cache (the rows written so far spill to the WAL, or to the file
        // when journaled, as commit would have written them), one helper thread per core. Timings of the
        // alternatives: docs/storage.md.
        // temp_store may change inside the transaction because this connection never opened its temp database.
        await _connection.ExecuteAsync(CallImporter.Untimed(
            $"PRAGMA temp_store = FILE; PRAGMA threads = {Environment.ProcessorCount}; PRAGMA cache_size = -2048;", _transaction, cancellationToken));
        foreach (var sql in _definitions)
        {
            await _connection.ExecuteAsync(CallImporter.Untimed(sql, _transaction, cancellationToken));
        }
        // The tally rows are recounted in place, and their changes only grow (see 0006_tally_changes.sql).
        await _connection.ExecuteAsync(CallImporter.Untimed(
            """
            UPDATE call_tallies SET calls = 0, changes = changes + 1 WHERE workspace_id = @w;
            INSERT INTO call_tallies (workspace_id, agent_id, status, type, calls, changes)
            SELECT workspace_id, agent_id, status, type, COUNT(*), 1 FROM calls WHERE workspace_id = @w
            GROUP BY workspace_id, agent_id, status, type
            ON CONFLICT (workspace_id, agent_id, status, type) DO UPDATE SET calls = excluded.calls;
            """, _transaction, cancellationToken, new { w = workspaceId }));
    }
}
