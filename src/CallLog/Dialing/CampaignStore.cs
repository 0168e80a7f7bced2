using System.Data.Common;
using System.Security.Cryptography;
using CallLog.Calls;
using CallLog.Calls.ById;
using CallLog.Events;
using CallLog.Hosting;
using CallLog.Storage;
using Dapper;

namespace CallLog.Dialing;

internal enum CampaignChange { Pause, Resume, Cancel }

/// <summary>
/// Campaigns: a batch of calls placed in one transaction (every recipient a queued call with its
/// <c>call.queued</c> event, numbers on the do-not-call list skipped and counted), paused, resumed or
/// canceled as a whole. The dial queue applies their windows and limits when runtimes claim.
/// </summary>
internal sealed class CampaignStore(Database database)
{
    public const int MaxRecipients = 100_000;

    /// <summary>
    /// Rows per statement. SQLite looks each named parameter up in a list of all of them, so a statement's
    /// binding costs the square of its parameters: small statements, many of them.
    /// </summary>
    private const int Chunk = 50;

    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string AgentId { get; set; } = "";
        public string? FromNumber { get; set; }
        public long? ScheduledAt { get; set; }
        public long? WindowStart { get; set; }
        public long? WindowEnd { get; set; }
        public string? TimeZone { get; set; }
        public long? Days { get; set; }
        public long? MaxConcurrentCalls { get; set; }
        public string State { get; set; } = "";
        public long Recipients { get; set; }
        public long Skipped { get; set; }
        public long CreatedAt { get; set; }

        public CallingWindow? Window => WindowStart is { } start ? new CallingWindow((int)start, (int)WindowEnd!.Value, TimeZone!, (int)Days!.Value) : null;
    }

    private sealed class StatusCount
    {
        public long Status { get; set; }
        public long Calls { get; set; }
    }

    private sealed class ContactRow
    {
        public long Id { get; set; }
        public string? Name { get; set; }
        public string? Email { get; set; }
        public string? Company { get; set; }
    }

    private const string Select =
        """
        SELECT id AS Id, name AS Name, agent_id AS AgentId, from_number AS FromNumber, scheduled_at AS ScheduledAt,
               window_start AS WindowStart, window_end AS WindowEnd, time_zone AS TimeZone, days AS Days,
               max_concurrent_calls AS MaxConcurrentCalls, state AS State, recipients AS Recipients, skipped AS Skipped, created_at AS CreatedAt
        FROM campaigns
        """;

    /// <summary>Creates the campaign and queues its recipients; null when its agent is not one of the workspace's.</summary>
    public async Task<Campaign?> CreateAsync(long workspaceId, NewCampaign campaign, IReadOnlyList<Recipient> recipients, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("campaigns.create");
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var agent = await connection.QuerySingleOrDefaultAsync<Agents.Agent>(new CommandDefinition(
            "SELECT id AS Id, name AS Name, CAST(0 AS BIGINT) AS CallCount, max_concurrent_calls AS MaxConcurrentCalls FROM agents WHERE workspace_id = @workspaceId AND id = @agentId",
            new { workspaceId, agentId = campaign.AgentId }, transaction, cancellationToken: cancellationToken));
        if (agent is null)
        {
            return null;
        }
        var id = "cmp_" + RandomNumberGenerator.GetString(IdAlphabet, 16);
        var now = DateTimeOffset.UtcNow;
        var start = Math.Max(campaign.ScheduledAt ?? 0, now.ToUnixTimeMilliseconds());
        long queued = 0, skipped = 0;
        foreach (var chunk in recipients.Chunk(Chunk))
        {
            var blocked = (await connection.QueryAsync<string>(new CommandDefinition(
                $"SELECT phone_number FROM do_not_call WHERE workspace_id = @workspaceId AND {database.InList("phone_number", "@phones")}",
                new { workspaceId, phones = chunk.Select(r => r.PhoneNumber).Distinct().ToArray() }, transaction, cancellationToken: cancellationToken))).ToHashSet();
            var calls = chunk.Where(r => !blocked.Contains(r.PhoneNumber)).Select(r => (Id: "call_" + RandomNumberGenerator.GetString(IdAlphabet, 16), Recipient: r)).ToList();
            skipped += chunk.Length - calls.Count;
            if (calls.Count == 0)
            {
                continue;
            }
            var contacts = await ContactsAsync(connection, transaction, workspaceId, calls.Select(c => c.Recipient.ContactId), cancellationToken);
            var parameters = new DynamicParameters(new { workspaceId, agentId = campaign.AgentId, campaignId = id, started = start / 1000, due = start, from = campaign.FromNumber });
            var callRows = new List<string>();
            var queueRows = new List<string>();
            var events = new List<NewEvent>();
            for (var i = 0; i < calls.Count; i++)
            {
                var (callId, r) = calls[i];
                parameters.Add($"id{i}", callId);
                parameters.Add($"phone{i}", r.PhoneNumber);
                parameters.Add($"contact{i}", r.ContactId);
                parameters.Add($"metadata{i}", r.Metadata);
                parameters.Add($"variables{i}", r.Variables);
                callRows.Add($"(@workspaceId, @id{i}, @agentId, {(int)CallStatus.Queued}, {(int)CallType.Outbound}, @phone{i}, @started, @contact{i}, @metadata{i}, @variables{i}, 1, @campaignId)");
                queueRows.Add($"(@workspaceId, @id{i}, @agentId, @from, @due, NULL, NULL, 0, @campaignId)");
                var contact = r.ContactId is { } k ? contacts.GetValueOrDefault(k) ?? new Contact(k, null, null, null) : null;
                var call = new Call(callId, campaign.AgentId, agent.Name, CallStatus.Queued, CallType.Outbound, r.PhoneNumber,
                    DateTimeOffset.FromUnixTimeSeconds(start / 1000), null, null, null, null, contact);
                events.Add(NewEvent.Call(EventTypes.CallQueued, CallDetail.From(call, null, r.Metadata, r.Variables)));
            }
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO calls (workspace_id, id, agent_id, status, type, phone_number, started_at, contact_id, metadata, variables, version, campaign_id)
                VALUES {string.Join(", ", callRows)}
                """, parameters, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO dial_queue (workspace_id, call_id, agent_id, from_number, due_at, expires_at, lease_until, attempts, campaign_id)
                VALUES {string.Join(", ", queueRows)}
                """, parameters, transaction, cancellationToken: cancellationToken));
            await EventLog.AppendAsync(connection, transaction, workspaceId, events, cancellationToken);
            queued += calls.Count;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO campaigns (workspace_id, id, name, agent_id, from_number, scheduled_at, window_start, window_end, time_zone, days,
                                   max_concurrent_calls, state, recipients, skipped, created_at)
            VALUES (@workspaceId, @id, @name, @agentId, @from, @scheduled, @windowStart, @windowEnd, @zone, @days, @max, 'active', @total, @skipped, @created)
            """,
            new
            {
                workspaceId,
                id,
                name = campaign.Name,
                agentId = campaign.AgentId,
                from = campaign.FromNumber,
                scheduled = campaign.ScheduledAt,
                windowStart = (long?)campaign.Window?.Start,
                windowEnd = (long?)campaign.Window?.End,
                zone = campaign.Window?.TimeZone,
                days = (long?)campaign.Window?.Days,
                max = campaign.MaxConcurrentCalls,
                total = queued + skipped,
                skipped,
                created = now.ToUnixTimeSeconds(),
            }, transaction, cancellationToken: cancellationToken));
        var created = (await ReadAsync(connection, transaction, workspaceId, id, cancellationToken))!;
        await EventLog.CommitAsync(transaction, cancellationToken);
        await database.AnalyzeAsync(connection, "calls, dial_queue", cancellationToken);
        return created;
    }

    /// <summary>The named contacts as they are, creating bare ones for ids the workspace does not have yet.</summary>
    private async Task<Dictionary<long, Contact>> ContactsAsync(DbConnection connection, DbTransaction transaction, long workspaceId, IEnumerable<long?> ids, CancellationToken cancellationToken)
    {
        var distinct = ids.OfType<long>().Distinct().ToArray();
        if (distinct.Length == 0)
        {
            return [];
        }
        var parameters = new DynamicParameters(new { workspaceId });
        var rows = distinct.Select((contactId, i) => { parameters.Add($"c{i}", contactId); return $"(@workspaceId, @c{i})"; });
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO contacts (workspace_id, id) VALUES {string.Join(", ", rows)} ON CONFLICT (workspace_id, id) DO NOTHING",
            parameters, transaction, cancellationToken: cancellationToken));
        var found = await connection.QueryAsync<ContactRow>(new CommandDefinition(
            $"SELECT id AS Id, name AS Name, email AS Email, company AS Company FROM contacts WHERE workspace_id = @workspaceId AND {database.InList("id", "@ids")}",
            new { workspaceId, ids = distinct }, transaction, cancellationToken: cancellationToken));
        return found.ToDictionary(c => c.Id, c => new Contact(c.Id, c.Name, c.Email, c.Company));
    }

    /// <summary>What a claim needs of the workspace's campaigns that have calls in the queue: whether each may dial now, and its limit.</summary>
    public static async Task<IReadOnlyList<CampaignGate>> GatesAsync(DbConnection connection, DbTransaction transaction, long workspaceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The campaigns in the queue, one index probe each (a skip scan of dial_queue_campaign): an EXISTS per
        // campaign was planned as a scan of the queue, which steps over every version claims leave behind.
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            WITH RECURSIVE queued (id) AS (
                SELECT (SELECT q.campaign_id FROM dial_queue q WHERE q.workspace_id = @workspaceId AND q.campaign_id IS NOT NULL ORDER BY q.campaign_id LIMIT 1)
                UNION ALL
                SELECT (SELECT q.campaign_id FROM dial_queue q WHERE q.workspace_id = @workspaceId AND q.campaign_id > queued.id ORDER BY q.campaign_id LIMIT 1)
                FROM queued WHERE queued.id IS NOT NULL
            )
            {Select} cp
            WHERE cp.workspace_id = @workspaceId AND cp.id IN (SELECT id FROM queued WHERE id IS NOT NULL)
            """, new { workspaceId }, transaction, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new CampaignGate(r.Id,
            r.State == "active" && (r.ScheduledAt ?? 0) <= now.ToUnixTimeMilliseconds() && (r.Window?.IsOpen(now) ?? true),
            r.State == "canceled", r.MaxConcurrentCalls))];
    }

    public async Task<Campaign?> GetAsync(long workspaceId, string id, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("campaigns.get");
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAsync(connection, null, workspaceId, id, cancellationToken);
    }

    /// <summary>The workspace's campaigns, newest first.</summary>
    public async Task<CampaignList> ListAsync(long workspaceId, int limit, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("campaigns.list");
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE workspace_id = @workspaceId ORDER BY created_at DESC, id DESC LIMIT {limit}", new { workspaceId }, cancellationToken: cancellationToken))).AsList();
        var campaigns = new List<Campaign>();
        foreach (var row in rows)
        {
            campaigns.Add(await ViewAsync(connection, null, workspaceId, row, cancellationToken));
        }
        return new CampaignList(campaigns);
    }

    private static async Task<Campaign?> ReadAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, string id, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} WHERE workspace_id = @workspaceId AND id = @id", new { workspaceId, id }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : await ViewAsync(connection, transaction, workspaceId, row, cancellationToken);
    }

    private static async Task<Campaign> ViewAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, Row row, CancellationToken cancellationToken)
    {
        var counts = (await connection.QueryAsync<StatusCount>(new CommandDefinition(
            "SELECT CAST(status AS BIGINT) AS Status, COUNT(*) AS Calls FROM calls WHERE workspace_id = @workspaceId AND campaign_id = @id GROUP BY status",
            new { workspaceId, id = row.Id }, transaction, cancellationToken: cancellationToken))).ToDictionary(c => (CallStatus)c.Status, c => c.Calls);
        return new Campaign(row.Id, row.Name, row.AgentId, row.FromNumber,
            row.ScheduledAt is { } s ? DateTimeOffset.FromUnixTimeMilliseconds(s - (s % 1000)) : null, row.Window?.View(), row.MaxConcurrentCalls, row.State,
            row.Recipients, row.Skipped,
            new CampaignCounts(counts.GetValueOrDefault(CallStatus.Queued), counts.GetValueOrDefault(CallStatus.InProgress), counts.GetValueOrDefault(CallStatus.Completed),
                counts.GetValueOrDefault(CallStatus.Failed), counts.GetValueOrDefault(CallStatus.Canceled), row.Skipped),
            DateTimeOffset.FromUnixTimeSeconds(row.CreatedAt));
    }

    /// <summary>
    /// Pauses, resumes or cancels a campaign. Canceling makes its waiting calls canceled at once (one
    /// <c>call.canceled</c> each); calls a runtime holds finish as the runtime says, or are canceled when
    /// given back. Null when there is no such campaign; the problem when the change does not apply.
    /// </summary>
    public async Task<(Campaign? Campaign, string? Problem)> ChangeAsync(long workspaceId, string id, CampaignChange change, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("campaigns.change");
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            $"SELECT cp.state FROM campaigns cp WHERE cp.workspace_id = @workspaceId AND cp.id = @id {database.LockRowsOf("cp")}",
            new { workspaceId, id }, transaction, cancellationToken: cancellationToken));
        if (state is null)
        {
            return (null, null);
        }
        var next = change switch { CampaignChange.Pause => "paused", CampaignChange.Resume => "active", _ => "canceled" };
        if (state == "canceled" && next != "canceled")
        {
            return (await ReadAsync(connection, transaction, workspaceId, id, cancellationToken), "it is canceled, which is final");
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE campaigns SET state = @next WHERE workspace_id = @workspaceId AND id = @id", new { workspaceId, id, next }, transaction, cancellationToken: cancellationToken));
        if (next == "canceled")
        {
            await CancelWaitingAsync(connection, transaction, workspaceId, id, cancellationToken);
        }
        var campaign = await ReadAsync(connection, transaction, workspaceId, id, cancellationToken);
        await EventLog.CommitAsync(transaction, cancellationToken);
        return (campaign, null);
    }

    private async Task CancelWaitingAsync(DbConnection connection, DbTransaction transaction, long workspaceId, string id, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var waiting = (await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            SELECT q.call_id FROM dial_queue q
            WHERE q.workspace_id = @workspaceId AND q.campaign_id = @id AND (q.lease_until IS NULL OR q.lease_until <= @now)
            {database.ClaimRows("q")}
            """, new { workspaceId, id, now }, transaction, cancellationToken: cancellationToken))).AsList();
        foreach (var chunk in waiting.Chunk(Chunk))
        {
            var ids = chunk.ToArray();
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE calls SET status = {(int)CallStatus.Canceled}, version = version + 1 WHERE workspace_id = @workspaceId AND {database.InList("id", "@ids")}",
                new { workspaceId, ids }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM dial_queue WHERE workspace_id = @workspaceId AND {database.InList("call_id", "@ids")}",
                new { workspaceId, ids }, transaction, cancellationToken: cancellationToken));
            var events = new List<NewEvent>();
            foreach (var callId in ids)
            {
                var stored = (await CallWrites.ReadAsync(connection, transaction, workspaceId, callId, cancellationToken))!;
                events.Add(NewEvent.Call(EventTypes.CallCanceled, stored.Detail));
            }
            await EventLog.AppendAsync(connection, transaction, workspaceId, events, cancellationToken);
        }
    }
}
