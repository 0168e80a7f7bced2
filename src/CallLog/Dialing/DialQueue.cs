using System.Data.Common;
using CallLog.Calls;
using CallLog.Calls.ById;
using CallLog.Events;
using CallLog.Hosting;
using CallLog.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace CallLog.Dialing;

internal enum ReleaseOutcome { Released, NotFound, NotLeased }

/// <summary>
/// The dial queue as runtimes use it. A claim, in one transaction: gives up the workspace's expired calls
/// (failed, <c>failure_reason: expired</c>), cancels due calls whose number joined the do-not-call list or
/// whose campaign was canceled (<c>cancel_reason</c>), and leases the oldest due calls of open campaigns (or
/// none) within the workspace's, each agent's and each campaign's limit of calls at once (leased or in progress). PostgreSQL's <c>SKIP LOCKED</c> lets claimers
/// run side by side without ever handing out a call twice; SQLite runs one write at a time.
/// </summary>
internal sealed class DialQueue(Database database, CallWrites calls, IOptions<DialingOptions> options)
{
    /// <summary>Expired calls given up per claim: the rest go at the next one.</summary>
    private const int ExpiredPerClaim = 100;

    private sealed class Candidate
    {
        public string CallId { get; set; } = "";
        public string AgentId { get; set; } = "";
        public string PhoneNumber { get; set; } = "";
        public string? FromNumber { get; set; }
        public long Attempts { get; set; }
        public string? CampaignId { get; set; }
    }

    private sealed class AgentCount
    {
        public string AgentId { get; set; } = "";
        public long Calls { get; set; }
    }

    private sealed class AgentLimit
    {
        public string Id { get; set; } = "";
        public long? MaxConcurrentCalls { get; set; }
    }

    public async Task<IReadOnlyList<ClaimedCall>> ClaimAsync(long workspaceId, int limit, int leaseSeconds, string? agentId, IReadOnlyList<string>? ids, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("dial.claim");
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var events = new List<NewEvent>();
        await GiveUpExpiredAsync(connection, transaction, workspaceId, now, events, cancellationToken);

        // Campaign calls wait while their campaign is paused, not yet scheduled or outside its window.
        var campaigns = (await CampaignStore.GatesAsync(connection, transaction, workspaceId, DateTimeOffset.FromUnixTimeMilliseconds(now), cancellationToken))
            .ToDictionary(c => c.Id);
        var parameters = new DynamicParameters(new { workspaceId, now, agentId });
        var only = "";
        if (campaigns.Values.Where(c => !c.Open && !c.Canceled).Select(c => c.Id).ToArray() is { Length: > 0 } closed)
        {
            parameters.Add("closed", closed);
            only += $" AND (q.campaign_id IS NULL OR NOT ({database.InList("q.campaign_id", "@closed")}))";
        }
        if (agentId is not null)
        {
            only += " AND q.agent_id = @agentId";
        }
        if (ids is not null)
        {
            parameters.Add("ids", ids.ToArray());
            only += $" AND {database.InList("q.call_id", "@ids")}";
        }
        // More than asked for: some may be over their agent's limit or on the do-not-call list.
        var candidates = (await connection.QueryAsync<Candidate>(new CommandDefinition(
            $"""
            SELECT q.call_id AS CallId, q.agent_id AS AgentId, c.phone_number AS PhoneNumber, q.from_number AS FromNumber, q.attempts AS Attempts,
                   q.campaign_id AS CampaignId
            FROM dial_queue q JOIN calls c ON c.workspace_id = q.workspace_id AND c.id = q.call_id
            WHERE q.workspace_id = @workspaceId AND q.due_at <= @now AND (q.lease_until IS NULL OR q.lease_until <= @now)
              AND (q.expires_at IS NULL OR q.expires_at > @now){only}
            ORDER BY q.due_at, q.call_id
            LIMIT {limit * 4}
            {database.ClaimRows("q")}
            """, parameters, transaction, cancellationToken: cancellationToken))).AsList();

        var blocked = candidates.Count == 0 ? [] : (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT phone_number FROM do_not_call WHERE workspace_id = @workspaceId AND {database.InList("phone_number", "@phones")}",
            new { workspaceId, phones = candidates.Select(c => c.PhoneNumber).Distinct().ToArray() }, transaction, cancellationToken: cancellationToken))).ToHashSet();
        bool Canceled(Candidate c) => c.CampaignId is { } id && campaigns.TryGetValue(id, out var gate) && gate.Canceled;
        foreach (var candidate in candidates.Where(c => blocked.Contains(c.PhoneNumber) || Canceled(c)))
        {
            var reason = blocked.Contains(candidate.PhoneNumber) ? "do_not_call" : "campaign_canceled";
            await TransitionAsync(connection, transaction, workspaceId, candidate.CallId, Transition.To(CallStatus.Canceled, "cancel_reason", reason), events, cancellationToken);
        }

        var eligible = candidates.Where(c => !blocked.Contains(c.PhoneNumber) && !Canceled(c)).ToList();
        var room = await RoomAsync(connection, transaction, workspaceId, now, [.. eligible.Select(c => c.AgentId).Distinct()], cancellationToken);
        var campaignRoom = await CampaignRoomAsync(connection, transaction, workspaceId, now,
            [.. eligible.Select(c => c.CampaignId).OfType<string>().Distinct().Where(id => campaigns[id].MaxConcurrentCalls is not null)], campaigns, cancellationToken);
        var chosen = new List<Candidate>();
        foreach (var candidate in eligible)
        {
            if (chosen.Count == limit || room.Workspace == 0)
            {
                break;
            }
            if ((room.Agents.TryGetValue(candidate.AgentId, out var left) && left == 0)
                || (candidate.CampaignId is { } campaign && campaignRoom.TryGetValue(campaign, out var campaignLeft) && campaignLeft == 0))
            {
                continue;
            }
            chosen.Add(candidate);
            room.Workspace--;
            if (room.Agents.TryGetValue(candidate.AgentId, out var agentRoom))
            {
                room.Agents[candidate.AgentId] = agentRoom - 1;
            }
            if (candidate.CampaignId is { } id && campaignRoom.TryGetValue(id, out var rest))
            {
                campaignRoom[id] = rest - 1;
            }
        }

        var leaseUntil = now + (leaseSeconds * 1000L);
        var claimed = new List<ClaimedCall>();
        if (chosen.Count > 0)
        {
            // A leased call is due again when its lease runs out: it moves behind the waiting calls in the due
            // index, so a claim never reads past the leases of calls handed out before it.
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE dial_queue SET lease_until = @leaseUntil, due_at = @leaseUntil, attempts = attempts + 1 WHERE workspace_id = @workspaceId AND {database.InList("call_id", "@ids")}",
                new { workspaceId, leaseUntil, ids = chosen.Select(c => c.CallId).ToArray() }, transaction, cancellationToken: cancellationToken));
            var stored = await CallWrites.ReadManyAsync(connection, transaction, workspaceId, [.. chosen.Select(c => c.CallId)], cancellationToken);
            claimed.AddRange(chosen.Select(c => new ClaimedCall(stored[c.CallId].Detail, c.FromNumber, DateTimeOffset.FromUnixTimeMilliseconds(leaseUntil), c.Attempts + 1)));
        }
        await EventLog.AppendAsync(connection, transaction, workspaceId, events, cancellationToken);
        await EventLog.CommitAsync(transaction, cancellationToken);
        return claimed;
    }

    /// <summary>How many more calls may be leased now: in the workspace (int.MaxValue without a limit), and per agent with a limit of its own.</summary>
    private async Task<(int Workspace, Dictionary<string, long> Agents)> RoomAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, long now, string[] agents, CancellationToken cancellationToken)
    {
        var limits = agents.Length == 0 ? [] : (await connection.QueryAsync<AgentLimit>(new CommandDefinition(
            $"SELECT id AS Id, max_concurrent_calls AS MaxConcurrentCalls FROM agents WHERE workspace_id = @workspaceId AND max_concurrent_calls IS NOT NULL AND {database.InList("id", "@agents")}",
            new { workspaceId, agents }, transaction, cancellationToken: cancellationToken))).ToDictionary(a => a.Id, a => a.MaxConcurrentCalls!.Value);
        var workspaceLimit = options.Value.MaxConcurrentCalls;
        if (limits.Count == 0 && workspaceLimit == 0)
        {
            return (int.MaxValue, []);
        }
        // In progress from the tallies (exact, a few rows), leased from the queue's index of leases.
        var busy = (await connection.QueryAsync<AgentCount>(new CommandDefinition(
            $"""
            SELECT agent_id AS AgentId, CAST(SUM(n) AS BIGINT) AS Calls FROM (
                SELECT agent_id, CAST(SUM(calls) AS BIGINT) AS n FROM call_tallies WHERE workspace_id = @workspaceId AND status = {(int)CallStatus.InProgress} GROUP BY agent_id
                UNION ALL
                SELECT agent_id, COUNT(*) AS n FROM dial_queue WHERE workspace_id = @workspaceId AND lease_until > @now GROUP BY agent_id
            ) busy GROUP BY agent_id
            """, new { workspaceId, now }, transaction, cancellationToken: cancellationToken))).ToDictionary(b => b.AgentId, b => b.Calls);
        var workspace = workspaceLimit == 0 ? int.MaxValue : (int)Math.Max(0, workspaceLimit - busy.Values.Sum());
        return (workspace, limits.ToDictionary(l => l.Key, l => Math.Max(0, l.Value - busy.GetValueOrDefault(l.Key))));
    }

    /// <summary>How many more calls each campaign with a limit may have leased now (its calls leased or in progress count).</summary>
    private static async Task<Dictionary<string, long>> CampaignRoomAsync(DbConnection connection, DbTransaction transaction, long workspaceId, long now,
        string[] limited, Dictionary<string, CampaignGate> campaigns, CancellationToken cancellationToken)
    {
        var room = new Dictionary<string, long>();
        foreach (var id in limited)
        {
            var busy = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"""
                SELECT (SELECT COUNT(*) FROM calls WHERE workspace_id = @workspaceId AND campaign_id = @id AND status = {(int)CallStatus.InProgress})
                     + (SELECT COUNT(*) FROM dial_queue WHERE workspace_id = @workspaceId AND campaign_id = @id AND lease_until > @now)
                """, new { workspaceId, id, now }, transaction, cancellationToken: cancellationToken));
            room[id] = Math.Max(0, campaigns[id].MaxConcurrentCalls!.Value - busy);
        }
        return room;
    }

    private async Task GiveUpExpiredAsync(DbConnection connection, DbTransaction transaction, long workspaceId, long now, List<NewEvent> events, CancellationToken cancellationToken)
    {
        var expired = await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            SELECT q.call_id FROM dial_queue q
            WHERE q.workspace_id = @workspaceId AND q.expires_at <= @now AND (q.lease_until IS NULL OR q.lease_until <= @now)
            ORDER BY q.expires_at LIMIT {ExpiredPerClaim}
            {database.ClaimRows("q")}
            """, new { workspaceId, now }, transaction, cancellationToken: cancellationToken));
        foreach (var id in expired.AsList())
        {
            await TransitionAsync(connection, transaction, workspaceId, id, Transition.To(CallStatus.Failed, "failure_reason", "expired"), events, cancellationToken);
        }
    }

    private async Task TransitionAsync(DbConnection connection, DbTransaction transaction, long workspaceId, string id,
        Func<StoredCall?, WriteDecision> decide, List<NewEvent> events, CancellationToken cancellationToken)
    {
        var (result, made) = await calls.WriteInAsync(connection, transaction, workspaceId, id, null, decide, cancellationToken);
        if (result.Outcome == WriteOutcome.Replaced)
        {
            events.AddRange(made);
        }
    }

    /// <summary>Gives a leased call back to the queue, due again at <paramref name="retryAt"/> (null: at once).</summary>
    public async Task<(ReleaseOutcome Outcome, StoredCall? Call)> ReleaseAsync(long workspaceId, string id, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("dial.release");
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var released = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE dial_queue SET lease_until = NULL, due_at = @due
            WHERE workspace_id = @workspaceId AND call_id = @id AND lease_until > @now
            """, new { workspaceId, id, now, due = retryAt?.ToUnixTimeMilliseconds() ?? now }, transaction, cancellationToken: cancellationToken));
        var stored = await CallWrites.ReadAsync(connection, transaction, workspaceId, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (released == 1 ? ReleaseOutcome.Released : stored is null ? ReleaseOutcome.NotFound : ReleaseOutcome.NotLeased, stored);
    }
}
