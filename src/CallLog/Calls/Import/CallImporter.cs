using System.Data.Common;
using CallLog.Storage;
using Dapper;

namespace CallLog.Calls.Import;

/// <summary>One line of an import: a call, or why that line is not one.</summary>
internal readonly record struct ImportLine(long Number, Call? Call, string? Error);

internal sealed record ImportOutcome(long Imported, string? Error);

/// <summary>
/// Upserts calls with their agents and contacts in one transaction: the first bad line rolls back
/// everything, so an import lands whole or not at all. Rows stream through, so memory stays flat
/// however long the input is; they are read on another thread while the store writes (ReadAhead).
/// When one input names a call, agent or contact twice, the last line wins. By default it is a backfill
/// through each store's bulk path and writes no events; with <paramref name="events"/> each line is
/// written as a PUT writes it, with its events (EventfulImport).
/// </summary>
internal sealed class CallImporter(Database database, bool events = false)
{
    /// <summary>
    /// The fewest calls for which an import drops the list indexes and builds them at the end instead of
    /// writing them per call (SqliteBulkLoad into a table that holds calls, from the first call into an
    /// empty one; PostgresCallImport into an empty table). A rebuild sorts the table's calls once, and its
    /// fixed part (the schema statements, the tally recount) takes milliseconds, so past a few thousand
    /// calls into a small table it beats eight index writes per call (docs/storage.md).
    /// </summary>
    public const int BulkMinimumRows = 10_000;

    public Task<ImportOutcome> ImportAsync(string workspace, IAsyncEnumerable<ImportLine> lines, CancellationToken cancellationToken)
    {
        var ahead = lines.ReadAheadAsync(cancellationToken);
        // The fast way to load many rows is each store's own (COPY and a merge; one statement stepped per
        // row with the indexes rebuilt), so an import is written once per store rather than through Database.
        if (events)
        {
            return EventfulImport.RunAsync(database, workspace, ahead, cancellationToken);
        }
        return database switch
        {
            PostgresDatabase postgres => PostgresCallImport.RunAsync(postgres, workspace, ahead, cancellationToken),
            SqliteDatabase sqlite => SqliteCallImport.RunAsync(sqlite, workspace, ahead, cancellationToken),
            _ => throw new NotSupportedException($"No importer for {database.GetType().Name}."),
        };
    }

    public static string Failure(ImportLine line) => $"line {line.Number}: {line.Error}";

    /// <summary>A statement of an import's bulk work, with no command timeout: over 10M calls an insert or an index build takes minutes.</summary>
    public static CommandDefinition Untimed(string sql, DbTransaction? transaction, CancellationToken cancellationToken, object? parameters = null) =>
        new(sql, parameters, transaction, commandTimeout: 0, cancellationToken: cancellationToken);
}
