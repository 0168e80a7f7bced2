using System.Data.Common;
using System.Text.Json;
using CallLog.Calls.ById;
using CallLog.Events;
using CallLog.Storage;
using CallLog.Workspaces;

namespace CallLog.Calls.Import;

/// <summary>
/// <c>import --events</c>: every line written as a PUT writes it (CallWrites), with the events that write
/// makes, all in one transaction, so an import that fails leaves neither calls nor events. It keeps what
/// the bulk import keeps (a call's transcript and metadata, which lines do not carry). Events are appended
/// a batch at a time; on PostgreSQL the workspace's event numbers are then the import's until it commits,
/// so the workspace's other writes wait for it.
/// </summary>
internal static class EventfulImport
{
    private const int EventBatch = 1_000;

    public static async Task<ImportOutcome> RunAsync(Database database, string workspace, IAsyncEnumerable<ImportLine> lines, CancellationToken cancellationToken)
    {
        var writes = new CallWrites(database);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await WriteAsync(writes, connection, workspace, lines, cancellationToken);
    }

    private static async Task<ImportOutcome> WriteAsync(CallWrites writes, DbConnection connection, string workspace, IAsyncEnumerable<ImportLine> lines, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var workspaceId = await WorkspaceStore.EnsureAsync(connection, transaction, workspace, cancellationToken);
        var events = new List<NewEvent>();
        long imported = 0;
        await foreach (var line in lines.WithCancellation(cancellationToken))
        {
            if (line.Call is not { } call)
            {
                return new ImportOutcome(0, CallImporter.Failure(line));
            }
            var (result, made) = await writes.WriteInAsync(connection, transaction, workspaceId, call.Id, null,
                current => WriteDecision.Store(new CallWrite(call, current?.Detail.Transcript, Metadata(current))), cancellationToken);
            if (result.Outcome is not (WriteOutcome.Created or WriteOutcome.Replaced or WriteOutcome.Unchanged))
            {
                return new ImportOutcome(0, $"line {line.Number}: the call '{call.Id}' could not be written ({result.Problem ?? result.Outcome.ToString()})");
            }
            events.AddRange(made);
            imported++;
            if (events.Count >= EventBatch)
            {
                await EventLog.AppendAsync(connection, transaction, workspaceId, events, cancellationToken);
                events.Clear();
            }
        }
        await EventLog.AppendAsync(connection, transaction, workspaceId, events, cancellationToken);
        await EventLog.CommitAsync(transaction, cancellationToken);
        return new ImportOutcome(imported, null);
    }

    /// <summary>The stored metadata as the text a write stores, or null for none.</summary>
    private static string? Metadata(StoredCall? current) =>
        current?.Detail.Metadata is { ValueKind: JsonValueKind.Object } metadata && metadata.EnumerateObject().Any() ? metadata.GetRawText() : null;
}
