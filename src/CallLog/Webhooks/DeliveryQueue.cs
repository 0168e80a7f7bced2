using System.Buffers;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using CallLog.Calls;
using CallLog.Events;
using CallLog.Hosting;
using CallLog.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace CallLog.Webhooks;

/// <summary>One attempt a node has claimed: where to send what, signed with which secrets.</summary>
internal sealed record Attempt(
    long DeliveryId, string WebhookId, string Url, string Secret, string? PreviousSecret, string MessageId, string? Body,
    int AttemptsBefore, long LeaseUntil, bool EndpointFailing);

/// <summary>What an attempt got: a status (or none, with the error), how long it took, the answer's first KiB.</summary>
internal sealed record AttemptResult(int? Status, TimeSpan Latency, string? Error, string? ResponseBody, TimeSpan? RetryAfter)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// The delivery queue in the store, for the dispatcher: fan new events out to the endpoints that subscribe
/// to them, claim due deliveries (at most <c>Webhooks:Concurrency</c> in flight per endpoint over every
/// node, one call's events in order), and record what each attempt got. Claims are leases: a node that
/// dies holding one loses it when it runs out, and another node sends the delivery again.
/// </summary>
internal sealed class DeliveryQueue(Database database, TimeProvider time, IOptions<WebhookOptions> options)
{
    /// <summary>Events given to one endpoint per pass, so that one pass stays short.</summary>
    private const int FanOutBatch = 2_000;

    /// <summary>The longest wait a Retry-After answer may ask for.</summary>
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    /// <summary>
    /// Whether endpoint <c>w</c> has a delivery due: a probe down its due index, as a scalar subquery
    /// (PostgreSQL would turn an EXISTS into a join that reads every pending delivery).
    /// </summary>
    private const string DueProbe =
        """
        (SELECT d.id FROM webhook_deliveries d
         WHERE d.webhook_id = w.id AND d.status = 'pending' AND d.next_attempt_at <= @now AND (d.lease_until IS NULL OR d.lease_until <= @now)
         ORDER BY d.next_attempt_at, d.id LIMIT 1) IS NOT NULL
        """;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// One pass of a node's dispatcher, in one transaction (on SQLite, one commit for all of it): record
    /// what the finished attempts got, fan new events out, claim what is due. Finished attempts are
    /// recorded in endpoint order, so that two nodes' passes lock endpoint rows in the same order.
    /// Returns the claimed attempts and each finished attempt's outcome.
    /// </summary>
    public async Task<(IReadOnlyList<Attempt> Claimed, IReadOnlyList<(string Outcome, TimeSpan Latency)> Outcomes)> PassAsync(
        IReadOnlyList<(Attempt Attempt, AttemptResult Result)> finished, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Most passes (a write's pulse, the poll) find nothing to do: a read says so without taking SQLite's write lock.
        if (finished.Count == 0 && !await HasWorkAsync(connection, cancellationToken))
        {
            return ([], []);
        }
        using var timer = Telemetry.Store("webhooks.pass");
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ordered = finished.OrderBy(f => f.Attempt.WebhookId, StringComparer.Ordinal).ToList();
        var outcomes = new List<(string, TimeSpan)>(ordered.Count);
        foreach (var (attempt, result) in ordered)
        {
            outcomes.Add((await CompleteAsync(connection, transaction, attempt, result, cancellationToken), result.Latency));
        }
        await FanOutAsync(connection, transaction, cancellationToken);
        var claimed = await ClaimAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (claimed, outcomes);
    }

    /// <summary>Whether an enabled endpoint has events to fan out or a delivery due.</summary>
    private async Task<bool> HasWorkAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"""
            SELECT 1 FROM webhooks w
            WHERE w.enabled = 1 AND (
                EXISTS (SELECT 1 FROM event_counters c WHERE c.workspace_id = w.workspace_id AND c.last_seq > w.last_seq)
                OR {DueProbe})
            LIMIT 1
            """, new { now = Now }, cancellationToken: cancellationToken)) is not null;

    /// <summary>
    /// Gives each enabled endpoint a delivery for every event after its last_seq that it subscribes to.
    /// On PostgreSQL an event number seen in event_counters is committed with every smaller one (EventLog),
    /// so reading up to it misses nothing; endpoints another node is fanning out are passed over.
    /// </summary>
    private async Task FanOutAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var endpoints = (await connection.QueryAsync<(string Id, long WorkspaceId, string Events, long LastSeq, long Head)>(new CommandDefinition(
            $"""
            SELECT w.id, w.workspace_id, w.events, w.last_seq, c.last_seq
            FROM webhooks w JOIN event_counters c ON c.workspace_id = w.workspace_id
            WHERE w.enabled = 1 AND c.last_seq > w.last_seq{database.ClaimRows("w")}
            """, transaction: transaction, cancellationToken: cancellationToken))).AsList();
        var now = Now;
        foreach (var endpoint in endpoints)
        {
            var to = Math.Min(endpoint.Head, endpoint.LastSeq + FanOutBatch);
            var parameters = new DynamicParameters(new { id = endpoint.Id, workspaceId = endpoint.WorkspaceId, from = endpoint.LastSeq, to, now });
            var types = EventTypes.Condition(endpoint.Events.Split(','), "e.type", parameters);
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO webhook_deliveries (webhook_id, workspace_id, event_seq, event_type, order_key, status, attempts, next_attempt_at, created_at)
                SELECT @id, e.workspace_id, e.seq, e.type, {database.CallIdIn("e.data")}, 'pending', 0, @now, @now
                FROM events e WHERE e.workspace_id = @workspaceId AND e.seq > @from AND e.seq <= @to AND {types}
                """, parameters, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE webhooks SET last_seq = @to WHERE id = @id", new { id = endpoint.Id, to }, transaction, cancellationToken: cancellationToken));
        }
    }

    /// <summary>
    /// Claims due deliveries: per endpoint, as many as it has free slots, oldest due first, never one whose
    /// call has an earlier delivery still pending (in flight or waiting to be retried).
    /// </summary>
    private async Task<IReadOnlyList<Attempt>> ClaimAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var now = Now;
        var leaseUntil = now + (long)options.Value.Lease.TotalMilliseconds;
        var endpoints = (await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            SELECT w.id FROM webhooks w
            WHERE w.enabled = 1 AND {DueProbe}{database.ClaimRows("w")}
            """, new { now }, transaction, cancellationToken: cancellationToken))).AsList();
        var claimed = new List<long>();
        foreach (var id in endpoints)
        {
            var inFlight = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = @id AND lease_until > @now",
                new { id, now }, transaction, cancellationToken: cancellationToken));
            var free = options.Value.Concurrency - inFlight;
            if (free <= 0)
            {
                continue;
            }
            claimed.AddRange(await connection.QueryAsync<long>(new CommandDefinition(
                $"""
                SELECT d.id FROM webhook_deliveries d
                WHERE d.webhook_id = @id AND d.status = 'pending' AND d.next_attempt_at <= @now AND (d.lease_until IS NULL OR d.lease_until <= @now)
                  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
                                  WHERE p.webhook_id = @id AND p.status = 'pending' AND p.order_key = d.order_key AND p.event_seq < d.event_seq)
                ORDER BY d.next_attempt_at, d.id LIMIT {free}
                """, new { id, now }, transaction, cancellationToken: cancellationToken)));
        }
        if (claimed.Count == 0)
        {
            return [];
        }
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE webhook_deliveries SET lease_until = @leaseUntil WHERE {database.InList("id", "@claimed")}", new { leaseUntil, claimed }, transaction, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<AttemptRow>(new CommandDefinition(
            $"""
            SELECT d.id AS DeliveryId, d.webhook_id AS WebhookId, w.url AS Url, w.secret AS Secret,
                   CASE WHEN w.previous_secret_until > @now THEN w.previous_secret END AS PreviousSecret, w.failing_since AS FailingSince,
                   d.workspace_id AS WorkspaceId, d.event_id AS EventId, d.event_seq AS EventSeq, d.event_type AS EventType, d.body AS Body,
                   d.attempts AS Attempts, e.created_at AS EventCreatedAt, e.data AS Data, s.name AS Workspace
            FROM webhook_deliveries d
            JOIN webhooks w ON w.id = d.webhook_id
            JOIN workspaces s ON s.id = d.workspace_id
            LEFT JOIN events e ON e.workspace_id = d.workspace_id AND e.seq = d.event_seq
            WHERE {database.InList("d.id", "@claimed")}
            """, new { claimed, now }, transaction, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new Attempt(r.DeliveryId, r.WebhookId, r.Url, r.Secret, r.PreviousSecret,
            r.EventId ?? Events.EventId.Format(r.WorkspaceId, r.EventSeq!.Value), r.Body ?? Body(r), (int)r.Attempts, leaseUntil, r.FailingSince is not null))];
    }

    private sealed class AttemptRow
    {
        public long DeliveryId { get; set; }

        public string WebhookId { get; set; } = "";

        public string Url { get; set; } = "";

        public string Secret { get; set; } = "";

        public string? PreviousSecret { get; set; }

        public long? FailingSince { get; set; }

        public long WorkspaceId { get; set; }

        public string? EventId { get; set; }

        public long? EventSeq { get; set; }

        public string EventType { get; set; } = "";

        public string? Body { get; set; }

        public long Attempts { get; set; }

        public long? EventCreatedAt { get; set; }

        public string? Data { get; set; }

        public string Workspace { get; set; } = "";
    }

    /// <summary>The event as the feed shows it; null once it has been pruned from the log.</summary>
    private static string? Body(AttemptRow row)
    {
        if (row.Data is null || row.EventSeq is not { } seq)
        {
            return null;
        }
        var buffer = new ArrayBufferWriter<byte>(row.Data.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = CallLogJson.Wire.Options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteString("id", Events.EventId.Format(row.WorkspaceId, seq));
            writer.WriteString("type", row.EventType);
            UtcSecondsConverter.Write(writer, JsonEncodedText.Encode("created_at"), row.EventCreatedAt!.Value);
            writer.WriteString("workspace", row.Workspace);
            writer.WritePropertyName("data");
            writer.WriteRawValue(row.Data, skipInputValidation: true);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Records an attempt: success, a retry at the schedule's next wait (or the answer's Retry-After), or
    /// failure once the schedule is spent. An endpoint that answered 410, or whose every attempt has failed
    /// for <c>Webhooks:DisableAfter</c>, is disabled. A claim this node lost (its lease ran out and another
    /// node took the delivery) records nothing.
    /// </summary>
    private async Task<string> CompleteAsync(DbConnection connection, DbTransaction transaction, Attempt attempt, AttemptResult result, CancellationToken cancellationToken)
    {
        var now = Now;
        var attempts = attempt.AttemptsBefore + 1;
        var retry = result.Succeeded || result.Status == 410 || attempt.Body is null ? null
            : options.Value.RetryAfter(attempts) is not null && result.RetryAfter is { } asked ? (asked < MaxRetryAfter ? asked : MaxRetryAfter) : options.Value.RetryAfter(attempts);
        var status = result.Succeeded ? DeliveryStatus.Succeeded : retry is null ? DeliveryStatus.Failed : DeliveryStatus.Pending;
        var recorded = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhook_deliveries SET status = @status, attempts = @attempts, lease_until = NULL, next_attempt_at = @next, last_attempt_at = @now,
                   response_status = @code, latency_ms = @latency, error = @error, response_body = @body
            WHERE id = @id AND lease_until = @lease
            """,
            new
            {
                id = attempt.DeliveryId,
                lease = attempt.LeaseUntil,
                status,
                attempts = (long)attempts,
                now,
                next = retry is { } wait ? now + (long)wait.TotalMilliseconds : now,
                code = (long?)result.Status,
                latency = (long)result.Latency.TotalMilliseconds,
                error = result.Error,
                body = result.ResponseBody,
            }, transaction, cancellationToken: cancellationToken));
        // A delivery whose event was pruned says nothing about the endpoint; a success of one that was not failing changes nothing.
        if (recorded == 1 && attempt.Body is not null && !(result.Succeeded && !attempt.EndpointFailing))
        {
            await connection.ExecuteAsync(new CommandDefinition(result.Succeeded
                ? "UPDATE webhooks SET failing_since = NULL WHERE id = @id AND failing_since IS NOT NULL"
                : """
                  UPDATE webhooks SET failing_since = COALESCE(failing_since, @now),
                         enabled = CASE WHEN @gone = 1 OR COALESCE(failing_since, @now) <= @disableBefore THEN 0 ELSE enabled END,
                         disabled_reason = CASE WHEN enabled = 0 THEN disabled_reason WHEN @gone = 1 THEN 'gone'
                                                WHEN COALESCE(failing_since, @now) <= @disableBefore THEN 'failing' ELSE disabled_reason END
                  WHERE id = @id
                  """,
                new { id = attempt.WebhookId, now, gone = result.Status == 410 ? 1L : 0L, disableBefore = now - (long)options.Value.DisableAfter.TotalMilliseconds },
                transaction, cancellationToken: cancellationToken));
        }
        return recorded == 1 ? status : "lost";
    }

    /// <summary>Pending deliveries and the creation time of the oldest, for the metrics.</summary>
    public async Task<(long Pending, long? OldestCreatedAt)> PendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<(long, long?)>(new CommandDefinition(
            "SELECT COUNT(*), MIN(created_at) FROM webhook_deliveries WHERE status = 'pending'", cancellationToken: cancellationToken));
    }

}
