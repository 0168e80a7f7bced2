using System.Runtime.CompilerServices;
using CallLog.Agents;
using CallLog.Calls.List;
using CallLog.Storage;
using CallLog.Workspaces;
using Dapper;

namespace CallLog.Calls.Export;

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
        var agentIds = await AgentStore.MatchingIdsAsync(connection, workspaceId, conditions.AgentId, cancellationToken);
        if (CallFilter.For(workspaceId, conditions, agentIds) is not { } filter)
        {
            yield break;
        }
        var parameters = new DynamicParameters();
        var where = filter.Where(database, parameters, "c");
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"SELECT {CallColumns.Joined} FROM calls c {CallColumns.Joins} WHERE {where} {CallListSql.Order}", parameters, cancellationToken: cancellationToken));
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return CallColumns.Read(reader);
        }
    }
}
