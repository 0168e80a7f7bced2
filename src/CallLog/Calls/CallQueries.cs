using System.Data.Common;
using System.Runtime.CompilerServices;
using CallLog.Storage;
using Dapper;

namespace CallLog.Calls;

/// <summary>Reads calls for the list endpoint and for export, newest first, ties broken by id.</summary>
internal sealed class CallQueries(Database database)
{
    private const string Select =
        """
        SELECT c.id, c.agent_id, a.name, c.status, c.type, c.phone_number, c.started_at, c.ended_at,
               c.duration_seconds, c.summary, c.recording_url, c.contact_id, ct.name, ct.email, ct.company
        FROM calls c
        JOIN agents a ON a.workspace_id = c.workspace_id AND a.id = c.agent_id
        LEFT JOIN contacts ct ON ct.workspace_id = c.workspace_id AND ct.id = c.contact_id
        """;

    private const string Order = "ORDER BY c.started_at DESC, c.id DESC";

    /// <summary>
    /// The seed's agent_id means "agent ID or assistant ID": 12345 also finds assistant_12345.
    /// Resolving to the agents that exist first lets the common single-agent case use its index.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ResolveAgentsAsync(DbConnection connection, long workspaceId, string agentId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM agents WHERE workspace_id = @workspaceId AND id IN (@agentId, @assistantId) ORDER BY id",
            new { workspaceId, agentId, assistantId = "assistant_" + agentId }, cancellationToken: cancellationToken));
        return [.. rows];
    }

    public async Task<CallPage> ListAsync(long workspaceId, CallListQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        IReadOnlyList<string>? agents = null;
        if (query.AgentId is not null)
        {
            agents = await ResolveAgentsAsync(connection, workspaceId, query.AgentId, cancellationToken);
            if (agents.Count == 0)
            {
                return new CallPage(0, query.Page, query.Limit, 0, []);
            }
        }
        var filter = new CallFilter(workspaceId, agents, query.Status, query.Type);
        var parameters = new DynamicParameters();
        var where = filter.Where(parameters);
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM calls c WHERE {where}", parameters, cancellationToken: cancellationToken));
        var pages = (count + query.Limit - 1) / query.Limit;
        if (query.Offset >= count)
        {
            return new CallPage(count, query.Page, query.Limit, pages, []);
        }
        parameters.Add("limit", query.Limit);
        parameters.Add("offset", query.Offset);
        var calls = new List<Call>(query.Limit);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"{Select} WHERE {where} {Order} LIMIT @limit OFFSET @offset", parameters, cancellationToken: cancellationToken));
        while (await reader.ReadAsync(cancellationToken))
        {
            calls.Add(ReadCall(reader));
        }
        return new CallPage(count, query.Page, query.Limit, pages, calls);
    }

    /// <summary>Streams every matching call; memory stays flat whatever the workspace holds.</summary>
    public async IAsyncEnumerable<Call> ExportAsync(string workspace, string? agentId, CallStatus? status, CallType? type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (await Workspaces.WorkspaceStore.FindAsync(connection, workspace, cancellationToken) is not { } workspaceId)
        {
            yield break;
        }
        IReadOnlyList<string>? agents = null;
        if (agentId is not null)
        {
            agents = await ResolveAgentsAsync(connection, workspaceId, agentId, cancellationToken);
            if (agents.Count == 0)
            {
                yield break;
            }
        }
        var parameters = new DynamicParameters();
        var where = new CallFilter(workspaceId, agents, status, type).Where(parameters);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"{Select} WHERE {where} {Order}", parameters, cancellationToken: cancellationToken));
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadCall(reader);
        }
    }

    private static Call ReadCall(DbDataReader r) => new(
        Id: r.GetString(0),
        AgentId: r.GetString(1),
        AgentName: r.IsDBNull(2) ? null : r.GetString(2),
        Status: (CallStatus)r.GetInt32(3),
        Type: (CallType)r.GetInt32(4),
        PhoneNumber: r.GetString(5),
        StartedAt: DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(6)),
        EndedAt: r.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(7)),
        DurationSeconds: r.IsDBNull(8) ? null : r.GetInt32(8),
        Summary: r.IsDBNull(9) ? null : r.GetString(9),
        RecordingUrl: r.IsDBNull(10) ? null : r.GetString(10),
        Contact: r.IsDBNull(11) ? null : new Contact(
            r.GetInt64(11),
            r.IsDBNull(12) ? null : r.GetString(12),
            r.IsDBNull(13) ? null : r.GetString(13),
            r.IsDBNull(14) ? null : r.GetString(14)));
}
