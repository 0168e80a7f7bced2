using System.Text;
using Dapper;

namespace CallLog.Calls;

/// <summary>
/// The WHERE clause shared by the list, its count and export. Filters compose one <c>if</c> at a time,
/// always as parameters. <c>AgentIds</c> are the agents that exist among the ones the caller may have meant.
/// </summary>
internal sealed record CallFilter(long WorkspaceId, IReadOnlyList<string>? AgentIds, CallStatus? Status, CallType? Type)
{
    public string Where(DynamicParameters parameters)
    {
        var sql = new StringBuilder("c.workspace_id = @workspaceId");
        parameters.Add("workspaceId", WorkspaceId);
        if (AgentIds is { Count: 1 })
        {
            // One agent (the usual case) keeps the index order, so no sort is needed.
            sql.Append(" AND c.agent_id = @agentId");
            parameters.Add("agentId", AgentIds[0]);
        }
        else if (AgentIds is not null)
        {
            sql.Append(" AND c.agent_id IN @agentIds");
            parameters.Add("agentIds", AgentIds);
        }
        if (Status is { } status)
        {
            sql.Append(" AND c.status = @status");
            parameters.Add("status", (int)status);
        }
        if (Type is { } type)
        {
            sql.Append(" AND c.type = @type");
            parameters.Add("type", (int)type);
        }
        return sql.ToString();
    }
}
