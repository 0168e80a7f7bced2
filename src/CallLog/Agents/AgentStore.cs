using System.Data.Common;
using CallLog.Calls;
using CallLog.Events;
using CallLog.Hosting;
using CallLog.Paging;
using CallLog.Storage;
using Dapper;

namespace CallLog.Agents;

/// <summary>
/// Agents are named by the calls that mention them, or by PUT. Their call counts sum at most six tally
/// rows each, so a page of agents costs the same at 100 calls or 10 million.
/// </summary>
internal sealed class AgentStore(Database database)
{
    private const string Select =
        """
        SELECT a.id AS Id, a.name AS Name,
               CAST(COALESCE((SELECT SUM(t.calls) FROM call_tallies t
                              WHERE t.workspace_id = a.workspace_id AND t.agent_id = a.id), 0) AS BIGINT) AS CallCount,
               a.max_concurrent_calls AS MaxConcurrentCalls
        FROM agents a
        """;

    public async Task<AgentPage> ListAsync(long workspaceId, PageRequest page, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("agents.list");
        await using var connection = await database.OpenAsync(cancellationToken);
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM agents WHERE workspace_id = @workspaceId", new { workspaceId }, cancellationToken: cancellationToken));
        // The limit as a literal: SQLite recompiles a statement whose LIMIT is a bound parameter at every run (CallListSql.PageQuery).
        var agents = page.Offset >= count
            ? []
            : (await connection.QueryAsync<Agent>(new CommandDefinition(
                $"{Select} WHERE a.workspace_id = @workspaceId ORDER BY a.id LIMIT {page.Limit} OFFSET @offset",
                new { workspaceId, offset = page.Offset }, cancellationToken: cancellationToken))).AsList();
        return new AgentPage(count, page.Page, page.Limit, page.Pages(count), agents);
    }

    /// <summary>
    /// The agents a call filter's agent_id means, among those that exist: Klen's agent_id is "agent ID or
    /// assistant ID", so 12345 also finds assistant_12345. Resolved before the filter is built, so the usual
    /// single-agent case uses its index. Null when the filter names no agent.
    /// </summary>
    public static async Task<IReadOnlyList<string>?> MatchingIdsAsync(DbConnection connection, long workspaceId, string? agentId, CancellationToken cancellationToken) =>
        agentId is null ? null : (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM agents WHERE workspace_id = @workspaceId AND id IN (@agentId, @assistantId) ORDER BY id",
            new { workspaceId, agentId, assistantId = "assistant_" + agentId }, cancellationToken: cancellationToken))).AsList();

    public async Task<Agent?> GetAsync(long workspaceId, string id, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("agents.get");
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, null, workspaceId, id, cancellationToken);
    }

    public static Task<Agent?> GetAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, string id, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<Agent>(new CommandDefinition(
            $"{Select} WHERE a.workspace_id = @workspaceId AND a.id = @id", new { workspaceId, id }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Creates or renames an agent; every call of the agent shows the new name at once (calls join it).
    /// Its limit of calls at once changes only when <paramref name="limitStated"/>.
    /// </summary>
    public async Task<(bool Created, Agent Agent)> PutAsync(long workspaceId, string id, string? name, bool limitStated, long? limit, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("agents.write");
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Insert first and let the store say whether it did: of racing creates exactly one inserts (the
        // others wait on its key, then find it), where a read before the write lets each see "new".
        var created = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO agents (workspace_id, id, name, max_concurrent_calls) VALUES (@w, @id, @name, @limit) ON CONFLICT (workspace_id, id) DO NOTHING",
            new { w = workspaceId, id, name, limit }, transaction, cancellationToken: cancellationToken)) == 1;
        var changed = created || await connection.ExecuteAsync(new CommandDefinition(
            CallSql.UpsertAgent, new { w = workspaceId, id, name, setName = true }, transaction, cancellationToken: cancellationToken)) > 0;
        if (!created && limitStated)
        {
            changed |= await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE agents SET max_concurrent_calls = @limit WHERE workspace_id = @w AND id = @id AND max_concurrent_calls IS DISTINCT FROM @limit",
                new { w = workspaceId, id, limit }, transaction, cancellationToken: cancellationToken)) > 0;
        }
        var agent = await GetAsync(connection, transaction, workspaceId, id, cancellationToken);
        if (changed)
        {
            await EventLog.AppendAsync(connection, transaction, workspaceId, [NewEvent.Agent(agent!)], cancellationToken);
        }
        await EventLog.CommitAsync(transaction, cancellationToken);
        return (created, agent!);
    }
}
