using System.Globalization;
using System.Text.Json;
using CallLog.Calls;
using CallLog.Events;
using CallLog.Storage;
using Dapper;

namespace CallLog.Webhooks;

/// <summary>An endpoint's deliveries: the log (newest first), and queuing one again, a range again, or a test.</summary>
internal sealed class DeliveryLog(Database database, TimeProvider time)
{
    private const string Prefix = "dlv_";

    private const string Columns =
        """
        d.id AS Id, d.webhook_id AS WebhookId, d.workspace_id AS WorkspaceId, d.event_id AS EventId, d.event_seq AS EventSeq, d.event_type AS EventType,
        d.status AS Status, d.attempts AS Attempts, d.created_at AS CreatedAt, d.last_attempt_at AS LastAttemptAt, d.next_attempt_at AS NextAttemptAt,
        d.response_status AS ResponseStatus, d.latency_ms AS LatencyMs, d.error AS Error, d.response_body AS ResponseBody
        """;

    private sealed class Row
    {
        public long Id { get; set; }

        public string WebhookId { get; set; } = "";

        public long WorkspaceId { get; set; }

        public string? EventId { get; set; }

        public long? EventSeq { get; set; }

        public string EventType { get; set; } = "";

        public string Status { get; set; } = "";

        public long Attempts { get; set; }

        public long CreatedAt { get; set; }

        public long? LastAttemptAt { get; set; }

        public long NextAttemptAt { get; set; }

        public long? ResponseStatus { get; set; }

        public long? LatencyMs { get; set; }

        public string? Error { get; set; }

        public string? ResponseBody { get; set; }

        public Delivery ToDelivery() => new(
            FormatId(Id), WebhookId, EventId ?? Events.EventId.Format(WorkspaceId, EventSeq!.Value), EventType, Status, (int)Attempts,
            Time(CreatedAt), LastAttemptAt is { } last ? Time(last) : null, Status == DeliveryStatus.Pending ? Time(NextAttemptAt) : null,
            (int?)ResponseStatus, (int?)LatencyMs, Error, ResponseBody);
    }

    private static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public static string FormatId(long id) => Prefix + id.ToString(CultureInfo.InvariantCulture);

    public static long? ParseId(string id) =>
        id.StartsWith(Prefix, StringComparison.Ordinal) && long.TryParse(id.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A page of the log, newest first, after the delivery <paramref name="before"/> when given.</summary>
    public async Task<DeliveryPage> ListAsync(string webhookId, string? status, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM webhook_deliveries d
            WHERE d.webhook_id = @webhookId{(status is null ? "" : " AND d.status = @status")}{(before is null ? "" : " AND d.id < @before")}
            ORDER BY d.id DESC LIMIT {limit + 1}
            """, new { webhookId, status, before }, cancellationToken: cancellationToken))).AsList();
        var more = rows.Count > limit;
        var page = rows.Take(limit).Select(r => r.ToDelivery()).ToList();
        return new DeliveryPage(page, more ? page[^1].Id : null);
    }

    /// <summary>The endpoint a delivery belongs to, for the CLI (which names deliveries by id alone).</summary>
    public async Task<string?> WebhookOfAsync(long deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT webhook_id FROM webhook_deliveries WHERE id = @deliveryId", new { deliveryId }, cancellationToken: cancellationToken));
    }

    /// <summary>Queues the delivery's event again, now, with the same <c>webhook-id</c>; a new entry in the log.</summary>
    public async Task<Delivery?> RedeliverAsync(string webhookId, long deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await HoldAsync(connection, transaction, webhookId, cancellationToken))
        {
            return null;
        }
        var now = Now;
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO webhook_deliveries (webhook_id, workspace_id, event_id, event_seq, event_type, body, order_key, status, attempts, next_attempt_at, created_at)
            SELECT webhook_id, workspace_id, event_id, event_seq, event_type, body, order_key, 'pending', 0, @now, @now
            FROM webhook_deliveries WHERE id = @deliveryId AND webhook_id = @webhookId
            RETURNING id
            """, new { webhookId, deliveryId, now }, transaction, cancellationToken: cancellationToken));
        var delivery = id is { } created ? await GetAsync(connection, transaction, created, cancellationToken) : null;
        await transaction.CommitAsync(cancellationToken);
        EventSignal.Pulse();
        return delivery;
    }

    /// <summary>Queues every event of the log created in [since, until) that the endpoint subscribes to; returns how many, or null once the endpoint is gone.</summary>
    public async Task<int?> ReplayAsync(string webhookId, long workspaceId, IReadOnlyList<string> events, long since, long until, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await HoldAsync(connection, transaction, webhookId, cancellationToken))
        {
            return null;
        }
        var parameters = new DynamicParameters(new { webhookId, workspaceId, since, until, now = Now });
        var queued = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO webhook_deliveries (webhook_id, workspace_id, event_seq, event_type, order_key, status, attempts, next_attempt_at, created_at)
            SELECT @webhookId, e.workspace_id, e.seq, e.type, {database.CallIdIn("e.data")}, 'pending', 0, @now, @now
            FROM events e WHERE e.workspace_id = @workspaceId AND e.created_at >= @since AND e.created_at < @until AND {EventTypes.Condition(events, "e.type", parameters)}
            ORDER BY e.seq
            """, parameters, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        EventSignal.Pulse();
        return queued;
    }

    /// <summary>Queues a <c>webhook.test</c> event for the endpoint alone (it is not in the event log); null once the endpoint is gone.</summary>
    public async Task<Delivery?> TestAsync(string webhookId, long workspaceId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var eventId = "evt_test_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await HoldAsync(connection, transaction, webhookId, cancellationToken))
        {
            return null;
        }
        var workspace = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT name FROM workspaces WHERE id = @workspaceId", new { workspaceId }, transaction, cancellationToken: cancellationToken));
        var body = JsonSerializer.Serialize(new TestEvent(eventId, EventTypes.WebhookTest, now, workspace!, new TestData(webhookId)), CallLogJson.Wire.TestEvent);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO webhook_deliveries (webhook_id, workspace_id, event_id, event_type, body, status, attempts, next_attempt_at, created_at)
            VALUES (@webhookId, @workspaceId, @eventId, @type, @body, 'pending', 0, @now, @now)
            RETURNING id
            """, new { webhookId, workspaceId, eventId, type = EventTypes.WebhookTest, body, now = now.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
        var delivery = await GetAsync(connection, transaction, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        EventSignal.Pulse();
        return delivery!;
    }

    /// <summary>
    /// Locks the endpoint's row for this transaction, or says it is gone: a DELETE of the endpoint (which locks
    /// it first) then waits for these deliveries and deletes them with it, or went first and nothing is queued.
    /// </summary>
    private async Task<bool> HoldAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string webhookId, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"SELECT w.id FROM webhooks w WHERE w.id = @webhookId{database.LockRowsOf("w")}", new { webhookId }, transaction, cancellationToken: cancellationToken)) is not null;

    private static async Task<Delivery?> GetAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, long id, CancellationToken cancellationToken) =>
        (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM webhook_deliveries d WHERE d.id = @id", new { id }, transaction, cancellationToken: cancellationToken)))?.ToDelivery();
}

/// <summary>The <c>webhook.test</c> event: shaped as every event, its data naming the endpoint.</summary>
internal sealed record TestEvent(string Id, string Type, DateTimeOffset CreatedAt, string Workspace, TestData Data);

internal sealed record TestData(string WebhookId);
