using System.Runtime.CompilerServices;
using CallLog.Storage;
using CallLog.Workspaces;
using Dapper;

namespace CallLog.Calls;

internal static class CallExport
{
    /// <summary>Streams every matching call; memory stays flat whatever the workspace holds.</summary>
    public static async IAsyncEnumerable<Call> RunAsync(Database database, string workspace, CallConditions conditions, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (await WorkspaceStore.FindAsync(connection, workspace, cancellationToken) is not { } workspaceId)
        {
            yield break;
        }
        if (await CallFilter.ResolveAsync(connection, workspaceId, conditions, cancellationToken) is not { } filter)
        {
            yield break;
        }
        var parameters = new DynamicParameters();
        var where = filter.Where(database, parameters, "c");
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"SELECT {CallQueries.Columns} FROM calls c {CallQueries.Joins} WHERE {where} {CallQueries.Order}", parameters, cancellationToken: cancellationToken));
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return CallQueries.ReadCall(reader);
        }
    }
}
