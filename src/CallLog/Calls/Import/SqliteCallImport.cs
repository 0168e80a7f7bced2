using System.Data.Common;
using CallLog.Storage;
using CallLog.Workspaces;
using Microsoft.Data.Sqlite;

namespace CallLog.Calls.Import;

/// <summary>
/// SQLite: one transaction (through a rollback journal when the import has the file to itself:
/// <see cref="RollbackJournal"/>), the calls upsert driven directly (<see cref="SqliteCallUpsert"/>) and prepared
/// upserts for agents and contacts, each written only when this import has not already written it as is.
/// Triggers keep the tallies, except in a bulk load (<see cref="SqliteBulkLoad"/>), which rebuilds them
/// and the list indexes once at the end. (The upsert is a prepare_v2 statement: SQLite compiles it again
/// by itself after the bulk load changes the schema.)
/// </summary>
internal static class SqliteCallImport
{
    // Bounded by an eighth of memory either way, so memory stays flat however long the input is.
    private static readonly long WalCacheKib = CacheKib(2L << 30);
    private static readonly long JournaledCacheKib = CacheKib(512L << 20);

    public static async Task<ImportOutcome> RunAsync(SqliteDatabase database, string workspace, IAsyncEnumerable<ImportLine> lines, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenUnsharedAsync(cancellationToken);
        var journaled = RollbackJournal.TryEnter(connection);
        try
        {
            await using (var pragma = connection.CreateCommand())
            {
                // Each upsert fires a tally trigger, so SQLite keeps a statement journal per row: in a temp
                // file that is many small writes per call, in memory none.
                // Random ids touch every page of the unique key. In WAL mode every page the cache lets go of is
                // looked up in the WAL when it is needed again, hence a large cache; journaled it is read back
                // from the file, where a smaller cache costs no time (docs/storage.md).
                // synchronous: in WAL mode NORMAL survives an application crash and skips an fsync per commit;
                // with a rollback journal NORMAL may lose the journal's sync at a power failure, so FULL.
                pragma.CommandText = journaled
                    ? $"PRAGMA temp_store = MEMORY; PRAGMA cache_size = -{JournaledCacheKib}; PRAGMA synchronous = FULL;"
                    : $"PRAGMA temp_store = MEMORY; PRAGMA cache_size = -{WalCacheKib}; PRAGMA synchronous = NORMAL;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }
            return await WriteAsync(connection, workspace, lines, cancellationToken);
        }
        finally
        {
            if (journaled)
            {
                await RollbackJournal.LeaveAsync(connection);
            }
        }
    }

    private static async Task<ImportOutcome> WriteAsync(SqliteConnection connection, string workspace, IAsyncEnumerable<ImportLine> lines, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var workspaceId = await WorkspaceStore.EnsureAsync(connection, transaction, workspace, cancellationToken);

        await using var agent = Prepare(connection, transaction, CallSql.UpsertAgent, "w", "id", "name", "setName");
        await using var contact = Prepare(connection, transaction, CallSql.UpsertContact, "w", "id", "name", "email", "company", "setName", "setEmail", "setCompany");
        using var call = new SqliteCallUpsert(connection);

        var bulkFrom = await SqliteBulkLoad.ThresholdAsync(connection, transaction, cancellationToken);
        SqliteBulkLoad? bulk = null;
        var written = new WrittenAgentsAndContacts();
        long imported = 0;
        await foreach (var line in lines.WithCancellation(cancellationToken))
        {
            if (line.Call is not { } c)
            {
                // Disposing the transaction uncommitted rolls back every row written so far, and undoes
                // a bulk load's dropped indexes and triggers with them.
                return new ImportOutcome(0, CallImporter.Failure(line));
            }
            if (imported == bulkFrom)
            {
                bulk = await SqliteBulkLoad.BeginAsync(connection, transaction, cancellationToken);
            }
            if (written.IsNew(c))
            {
                await Run(agent, cancellationToken, workspaceId, c.AgentId, c.AgentName, c.Stated.HasFlag(SharedFields.AgentName));
            }
            if (c.Contact is { } k && written.IsNew(k, c.Stated))
            {
                await Run(contact, cancellationToken, workspaceId, k.Id, k.Name, k.Email, k.Company,
                    c.Stated.HasFlag(SharedFields.ContactName), c.Stated.HasFlag(SharedFields.ContactEmail), c.Stated.HasFlag(SharedFields.ContactCompany));
            }
            call.Write(workspaceId, c);
            imported++;
        }
        if (bulk is not null)
        {
            await bulk.EndAsync(workspaceId, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        await SqliteDatabase.AnalyzeAsync(connection, cancellationToken);
        return new ImportOutcome(imported, null);
    }

    private static long CacheKib(long most) => Math.Min(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8, most) / 1024;

    private static DbCommand Prepare(DbConnection connection, DbTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            command.Parameters.Add(parameter);
        }
        command.Prepare();
        return command;
    }

    private static Task<int> Run(DbCommand command, CancellationToken cancellationToken, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
        return command.ExecuteNonQueryAsync(cancellationToken);
    }
}
