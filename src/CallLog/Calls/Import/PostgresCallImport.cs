using CallLog.Storage;
using CallLog.Workspaces;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace CallLog.Calls.Import;

/// <summary>
/// PostgreSQL: binary COPY of every line into a temporary table, then three set-based upserts (into an
/// empty table, plain inserts), all in one transaction. COPY streams, so memory stays flat; the
/// statement-level triggers update each tally row once per import rather than once per call.
/// </summary>
internal static class PostgresCallImport
{
    private const string Stage =
        """
        CREATE TEMP TABLE import_calls (
            seq bigint, id text COLLATE "C", agent_id text COLLATE "C", agent_name text, status smallint, type smallint,
            phone_number text, started_at bigint, ended_at bigint, duration_seconds integer, summary text,
            recording_url text, contact_id bigint, contact_name text, contact_email text, contact_company text,
            agent_new boolean, contact_new boolean,
            agent_name_set boolean, contact_name_set boolean, contact_email_set boolean, contact_company_set boolean
        ) ON COMMIT DROP
        """;

    private const string Copy =
        """
        COPY import_calls (seq, id, agent_id, agent_name, status, type, phone_number, started_at, ended_at,
                           duration_seconds, summary, recording_url, contact_id, contact_name, contact_email, contact_company,
                           agent_new, contact_new, agent_name_set, contact_name_set, contact_email_set, contact_company_set)
        FROM STDIN (FORMAT BINARY)
        """;

    // Per agent and contact, each field takes the last value a line stated (the *_set columns: a field
    // left out of a line is not stated), and keeps the stored value when no line stated it; a row-by-row
    // upsert would leave the same. agent_new and contact_new mark the lines that state something this
    // import has not written yet (WrittenAgentsAndContacts), so only those are grouped: few, even in a
    // large import (8 agents among 500k lines).
    private const string MergeAgentsAndContacts =
        """
        INSERT INTO agents (workspace_id, id, name)
        SELECT @w, s.agent_id, CASE WHEN s.name_set THEN s.name ELSE a.name END
        FROM (SELECT agent_id, bool_or(agent_name_set) AS name_set,
                     (array_agg(agent_name ORDER BY seq DESC) FILTER (WHERE agent_name_set))[1] AS name
              FROM import_calls WHERE agent_new GROUP BY agent_id) s
        LEFT JOIN agents a ON a.workspace_id = @w AND a.id = s.agent_id
        ON CONFLICT (workspace_id, id) DO UPDATE SET name = excluded.name WHERE agents.name IS DISTINCT FROM excluded.name;

        INSERT INTO contacts (workspace_id, id, name, email, company)
        SELECT @w, s.contact_id,
               CASE WHEN s.name_set THEN s.name ELSE k.name END,
               CASE WHEN s.email_set THEN s.email ELSE k.email END,
               CASE WHEN s.company_set THEN s.company ELSE k.company END
        FROM (SELECT contact_id,
                     bool_or(contact_name_set) AS name_set,
                     (array_agg(contact_name ORDER BY seq DESC) FILTER (WHERE contact_name_set))[1] AS name,
                     bool_or(contact_email_set) AS email_set,
                     (array_agg(contact_email ORDER BY seq DESC) FILTER (WHERE contact_email_set))[1] AS email,
                     bool_or(contact_company_set) AS company_set,
                     (array_agg(contact_company ORDER BY seq DESC) FILTER (WHERE contact_company_set))[1] AS company
              FROM import_calls WHERE contact_new GROUP BY contact_id) s
        LEFT JOIN contacts k ON k.workspace_id = @w AND k.id = s.contact_id
        ON CONFLICT (workspace_id, id) DO UPDATE SET name = excluded.name, email = excluded.email, company = excluded.company;

        """;

    // The staged line's columns in CallSql.InsertCall's order, for both inserts below.
    private const string StagedCall =
        """
        @w, id, agent_id, status, type, phone_number, started_at, ended_at, duration_seconds, summary, recording_url, contact_id
        """;

    private const string InsertCalls =
        CallSql.InsertCall + "\nSELECT DISTINCT ON (id) " + StagedCall + "\nFROM import_calls ORDER BY id, seq DESC\n";

    // Every line as it came, for an input that names each call once.
    private const string InsertCallsAsStaged = CallSql.InsertCall + "\nSELECT " + StagedCall + "\nFROM import_calls";

    public static async Task<ImportOutcome> RunAsync(PostgresDatabase database, string workspace, IAsyncEnumerable<ImportLine> lines, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var workspaceId = await WorkspaceStore.EnsureAsync(connection, transaction, workspace, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Stage, transaction: transaction, cancellationToken: cancellationToken));

        var written = new WrittenAgentsAndContacts();
        long imported = 0;
        await using (var writer = await connection.BeginBinaryImportAsync(Copy, cancellationToken))
        {
            await foreach (var line in lines.WithCancellation(cancellationToken))
            {
                if (line.Call is not { } c)
                {
                    // Leaving without Complete() cancels the COPY; the transaction then rolls back unused.
                    return new ImportOutcome(0, CallImporter.Failure(line));
                }
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(line.Number, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(c.Id, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(c.AgentId, NpgsqlDbType.Text, cancellationToken);
                await WriteAsync(writer, c.AgentName, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync((short)c.Status, NpgsqlDbType.Smallint, cancellationToken);
                await writer.WriteAsync((short)c.Type, NpgsqlDbType.Smallint, cancellationToken);
                await writer.WriteAsync(c.PhoneNumber, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(c.StartedAt.ToUnixTimeSeconds(), NpgsqlDbType.Bigint, cancellationToken);
                await WriteAsync(writer, c.EndedAt?.ToUnixTimeSeconds(), NpgsqlDbType.Bigint, cancellationToken);
                await WriteAsync(writer, c.DurationSeconds, NpgsqlDbType.Integer, cancellationToken);
                await WriteAsync(writer, c.Summary, NpgsqlDbType.Text, cancellationToken);
                await WriteAsync(writer, c.RecordingUrl, NpgsqlDbType.Text, cancellationToken);
                await WriteAsync(writer, c.Contact?.Id, NpgsqlDbType.Bigint, cancellationToken);
                await WriteAsync(writer, c.Contact?.Name, NpgsqlDbType.Text, cancellationToken);
                await WriteAsync(writer, c.Contact?.Email, NpgsqlDbType.Text, cancellationToken);
                await WriteAsync(writer, c.Contact?.Company, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(written.IsNew(c), NpgsqlDbType.Boolean, cancellationToken);
                await writer.WriteAsync(c.Contact is { } contact && written.IsNew(contact, c.Stated), NpgsqlDbType.Boolean, cancellationToken);
                await writer.WriteAsync(c.Stated.HasFlag(SharedFields.AgentName), NpgsqlDbType.Boolean, cancellationToken);
                await writer.WriteAsync(c.Stated.HasFlag(SharedFields.ContactName), NpgsqlDbType.Boolean, cancellationToken);
                await writer.WriteAsync(c.Stated.HasFlag(SharedFields.ContactEmail), NpgsqlDbType.Boolean, cancellationToken);
                await writer.WriteAsync(c.Stated.HasFlag(SharedFields.ContactCompany), NpgsqlDbType.Boolean, cancellationToken);
                imported++;
            }
            await writer.CompleteAsync(cancellationToken);
        }

        var rebuild = imported >= CallImporter.BulkMinimumRows ? await DropIndexesIfEmptyAsync(connection, transaction, cancellationToken) : [];
        // Dropping an index locks the table until commit, so after a drop, empty means empty until then.
        var intoEmpty = rebuild.Count > 0 && !await connection.ExecuteScalarAsync<bool>(
            new CommandDefinition("SELECT EXISTS (SELECT 1 FROM calls)", transaction: transaction, cancellationToken: cancellationToken));
        await ExecuteAsync(connection, transaction, MergeAgentsAndContacts, workspaceId, cancellationToken);
        if (intoEmpty)
        {
            // The key first: an input that names a call twice fails on it before any list index is built.
            rebuild.Insert(0, await DropPrimaryKeyAsync(connection, transaction, cancellationToken));
            await InsertIntoEmptyAsync(connection, transaction, workspaceId, rebuild, cancellationToken);
        }
        else
        {
            await ExecuteAsync(connection, transaction, InsertCalls + CallSql.UpdateCallOnConflict, workspaceId, cancellationToken);
            await BuildAsync(connection, transaction, rebuild, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        // Fresh statistics at once, not at autovacuum's next turn: the planner picks list indexes by them.
        await connection.ExecuteAsync(CallImporter.Untimed("ANALYZE calls, agents, contacts, call_tallies", null, cancellationToken));
        return new ImportOutcome(imported, null);
    }

    /// <summary>
    /// Into an empty table with its primary key dropped: first every staged line as it came, with no sort
    /// and no key to check per row, then the key built in one sorted pass. An input that names a call twice
    /// fails that build; then the lines go in again from a savepoint, the last line per call only
    /// (DISTINCT ON sorts them). Inserting unsorted and building the key after is the faster of the two
    /// (docs/storage.md); only an input that repeats an id pays both.
    /// </summary>
    private static async Task InsertIntoEmptyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long workspaceId, List<string> rebuild, CancellationToken cancellationToken)
    {
        await transaction.SaveAsync("as_staged", cancellationToken);
        try
        {
            await ExecuteAsync(connection, transaction, InsertCallsAsStaged, workspaceId, cancellationToken);
            await BuildAsync(connection, transaction, rebuild, cancellationToken);
        }
        catch (PostgresException repeated) when (repeated.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync("as_staged", cancellationToken);
            await ExecuteAsync(connection, transaction, InsertCalls, workspaceId, cancellationToken);
            await BuildAsync(connection, transaction, rebuild, cancellationToken);
        }
    }

    /// <summary>
    /// Drops the primary key of the empty, locked calls table; returns the statement that adds it back
    /// (read from the catalog, as the list indexes are).
    /// </summary>
    private static async Task<string> DropPrimaryKeyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        const string PrimaryKey =
            """
            SELECT quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = 'calls'::regclass AND contype = 'p'
            """;
        var (name, definition) = await connection.QuerySingleAsync<(string Name, string Definition)>(
            new CommandDefinition(PrimaryKey, transaction: transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition($"ALTER TABLE calls DROP CONSTRAINT {name}", transaction: transaction, cancellationToken: cancellationToken));
        return $"ALTER TABLE calls ADD CONSTRAINT {name} {definition}";
    }

    private static async Task BuildAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<string> statements, CancellationToken cancellationToken)
    {
        foreach (var statement in statements)
        {
            await connection.ExecuteAsync(CallImporter.Untimed(statement, transaction, cancellationToken));
        }
    }

    private static Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, long workspaceId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(CallImporter.Untimed(sql, transaction, cancellationToken, new { w = workspaceId }));

    /// <summary>
    /// The first load into an empty calls table: drop the list indexes (and, once the table is locked and
    /// still empty, the primary key: DropPrimaryKeyAsync) so that the merge writes rows alone and each index
    /// is then built in one sorted pass instead of eight random index writes per call. Only when the
    /// table is empty: DROP INDEX locks the table until
    /// commit, and list requests would wait on it; with no calls stored there is nothing for them to wait
    /// for. Rolled back with the import if it fails.
    /// Returns the CREATE INDEX statements to run after the merge, read from the catalog, so the
    /// migrations stay the one place that states them.
    /// </summary>
    private static async Task<List<string>> DropIndexesIfEmptyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        const string ListIndexes =
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = 'calls'::regclass AND NOT i.indisprimary AND NOT i.indisunique
              AND NOT EXISTS (SELECT 1 FROM calls)
            """;
        var indexes = (await connection.QueryAsync<(string Name, string Definition)>(
            new CommandDefinition(ListIndexes, transaction: transaction, cancellationToken: cancellationToken))).ToList();
        foreach (var (name, _) in indexes)
        {
            await connection.ExecuteAsync(new CommandDefinition($"DROP INDEX {name}", transaction: transaction, cancellationToken: cancellationToken));
        }
        return [.. indexes.Select(index => index.Definition)];
    }

    private static Task WriteAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : class =>
        value is null ? writer.WriteNullAsync(cancellationToken) : writer.WriteAsync(value, type, cancellationToken);

    private static Task WriteAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? writer.WriteAsync(v, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);
}
