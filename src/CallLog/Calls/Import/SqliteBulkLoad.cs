using System.Data.Common;

namespace CallLog.Calls;

/// <summary>
/// A large import into SQLite: drop the list indexes and the tally triggers, write the rows against the
/// unique key alone, then build each index in one sorted pass and count the workspace's tallies once.
/// Inserting 10M calls with random ids and times into eight indexes is eight random B-tree writes per
/// call; building them afterwards is a sort. All of it runs inside the import's transaction, so a failed
/// import rolls the schema back with the rows, and readers (WAL) keep seeing the indexes until commit.
/// The definitions come from the schema itself, so the migrations stay the one place that states them.
/// </summary>
internal sealed class SqliteBulkLoad
{
    // Small imports never pay for a rebuild of the whole table: the switch happens only once an import
    // has written as many calls as the table held before it (and at least this many).
    private const long MinimumRows = 50_000;

    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly List<string> _indexes;
    private readonly List<string> _triggers;

    private SqliteBulkLoad(DbConnection connection, DbTransaction transaction, List<string> indexes, List<string> triggers) =>
        (_connection, _transaction, _indexes, _triggers) = (connection, transaction, indexes, triggers);

    /// <summary>How many calls an import writes before it switches to a bulk load.</summary>
    public static async Task<long> ThresholdAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // MAX(rowid) is one B-tree descent, and never below the row count.
        var existing = await ScalarAsync(connection, transaction, "SELECT COALESCE(MAX(rowid), 0) FROM calls", cancellationToken);
        return Math.Max(existing, MinimumRows);
    }

    public static async Task<SqliteBulkLoad> BeginAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var indexes = new List<string>();
        var triggers = new List<string>();
        var drops = new List<string>();
        await using (var schema = Command(connection, transaction,
            // sql IS NULL: the index SQLite made for UNIQUE (workspace_id, id), which the upserts need. Only
            // the tally triggers: EndAsync redoes their work; another trigger's would be lost.
            """
            SELECT type, name, sql FROM sqlite_schema
            WHERE tbl_name = 'calls' AND sql IS NOT NULL AND (type = 'index' OR (type = 'trigger' AND name LIKE 'calls\_tally\_%' ESCAPE '\'))
            """))
        await using (var reader = await schema.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var (type, name, sql) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                (type == "index" ? indexes : triggers).Add(sql);
                drops.Add($"DROP {type.ToUpperInvariant()} \"{name}\";");
            }
        }
        await ExecuteAsync(connection, transaction, string.Join('\n', drops), cancellationToken);
        return new SqliteBulkLoad(connection, transaction, indexes, triggers);
    }

    public async Task EndAsync(long workspaceId, CancellationToken cancellationToken)
    {
        foreach (var sql in _indexes.Concat(_triggers))
        {
            await ExecuteAsync(_connection, _transaction, sql, cancellationToken);
        }
        await using var tallies = Command(_connection, _transaction,
            """
            DELETE FROM call_tallies WHERE workspace_id = @w;
            INSERT INTO call_tallies (workspace_id, agent_id, status, type, calls)
            SELECT workspace_id, agent_id, status, type, COUNT(*) FROM calls WHERE workspace_id = @w
            GROUP BY workspace_id, agent_id, status, type;
            """);
        var parameter = tallies.CreateParameter();
        parameter.ParameterName = "@w";
        parameter.Value = workspaceId;
        tallies.Parameters.Add(parameter);
        await tallies.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        return command;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> ScalarAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
