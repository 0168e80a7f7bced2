using System.Data.Common;
using System.Text;
using Dapper;

namespace CallLog.Calls;

/// <summary>
/// The filters of a list, count or export, as SQL with parameters. <c>AgentIds</c> are the agents that
/// exist among the ones the caller may have meant (at most two: "12345" and "assistant_12345").
/// </summary>
internal sealed record CallFilter(long WorkspaceId, IReadOnlyList<string>? AgentIds, CallStatus? Status, CallType? Type)
{
    public static readonly CallStatus[] AllStatuses = [CallStatus.Completed, CallStatus.Failed, CallStatus.InProgress];
    public static readonly CallType[] AllTypes = [CallType.Inbound, CallType.Outbound];

    /// <summary>
    /// The filter for a request. The seed's agent_id means "agent ID or assistant ID": 12345 also finds
    /// assistant_12345; resolving to the agents that exist first lets the usual single-agent case use its
    /// index. Null when agent_id names no agent of the workspace, so nothing can match.
    /// </summary>
    public static async Task<CallFilter?> ResolveAsync(
        DbConnection connection, long workspaceId, string? agentId, CallStatus? status, CallType? type, CancellationToken cancellationToken)
    {
        if (agentId is null)
        {
            return new CallFilter(workspaceId, null, status, type);
        }
        var agents = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM agents WHERE workspace_id = @workspaceId AND id IN (@agentId, @assistantId) ORDER BY id",
            new { workspaceId, agentId, assistantId = "assistant_" + agentId }, cancellationToken: cancellationToken))).ToList();
        return agents.Count == 0 ? null : new CallFilter(workspaceId, agents, status, type);
    }

    /// <summary>
    /// The WHERE clause over table alias <paramref name="alias"/>, its parameters named with
    /// <paramref name="prefix"/> so several clauses can share one command. Filters compose one <c>if</c> at a time.
    /// </summary>
    public string Where(DynamicParameters parameters, string alias, string prefix = "")
    {
        var sql = new StringBuilder($"{alias}.workspace_id = @{prefix}workspaceId");
        parameters.Add($"{prefix}workspaceId", WorkspaceId);
        if (AgentIds is not null)
        {
            var names = AgentIds.Select((id, i) => { parameters.Add($"{prefix}agent{i}", id); return $"@{prefix}agent{i}"; });
            sql.Append($" AND {alias}.agent_id IN ({string.Join(", ", names)})");
        }
        if (Status is { } status)
        {
            sql.Append($" AND {alias}.status = @{prefix}status");
            parameters.Add($"{prefix}status", (int)status);
        }
        if (Type is { } type)
        {
            sql.Append($" AND {alias}.type = @{prefix}type");
            parameters.Add($"{prefix}type", (int)type);
        }
        return sql.ToString();
    }

    /// <summary>
    /// Splits the filter into ranges that each read straight off one index in list order. No filter, or
    /// one agent alone, is a single range; otherwise one range per (agent, status, type) the filter
    /// allows, at most 2 x 3 x 2, merged by the query. Each range stops after the rows a page needs.
    /// </summary>
    public IEnumerable<CallFilter> Branches()
    {
        if (Status is null && Type is null && (AgentIds is null || AgentIds.Count == 1))
        {
            yield return this;
            yield break;
        }
        foreach (var agent in AgentIds?.Select(a => (IReadOnlyList<string>?)[a]) ?? [null])
        {
            foreach (var status in Status is { } s ? [s] : AllStatuses)
            {
                foreach (var type in Type is { } t ? [t] : AllTypes)
                {
                    yield return this with { AgentIds = agent, Status = status, Type = type };
                }
            }
        }
    }
}
