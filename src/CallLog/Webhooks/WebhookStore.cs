using System.Data.Common;
using CallLog.Storage;
using Dapper;

namespace CallLog.Webhooks;

/// <summary>What a PATCH changes: each field given, or null to leave it.</summary>
internal sealed record WebhookChange(string? Url, IReadOnlyList<string>? Events, string? Description, bool DescriptionGiven, bool? Enabled);

/// <summary>A workspace's webhook endpoints: create, read, change, delete, rotate the secret.</summary>
internal sealed class WebhookStore(Database database, TimeProvider time)
{
    private const string Columns =
        "id AS Id, url AS Url, events AS Events, description AS Description, enabled AS Enabled, disabled_reason AS DisabledReason, " +
        "created_at AS CreatedAt, failing_since AS FailingSince";

    private sealed class Row
    {
        public string Id { get; set; } = "";

        public string Url { get; set; } = "";

        public string Events { get; set; } = "";

        public string? Description { get; set; }

        public long Enabled { get; set; }

        public string? DisabledReason { get; set; }

        public long CreatedAt { get; set; }

        public long? FailingSince { get; set; }

        public Webhook ToWebhook() => new(Id, Url, Events.Split(','), Description, Enabled == 1, DisabledReason,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), FailingSince is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null);
    }

    /// <summary>The workspace's last event number: an endpoint created or enabled gets the events after it.</summary>
    private const string Head = "COALESCE((SELECT last_seq FROM event_counters WHERE workspace_id = @workspaceId), 0)";

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A new, enabled endpoint that gets the workspace's events from now on.</summary>
    public async Task<CreatedWebhook> CreateAsync(long workspaceId, string url, IReadOnlyList<string> events, string? description, CancellationToken cancellationToken)
    {
        var id = WebhookSecret.NewId();
        var secret = WebhookSecret.New();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO webhooks (id, workspace_id, url, events, description, enabled, secret, created_at, last_seq)
            VALUES (@id, @workspaceId, @url, @events, @description, @enabled, @secret, @now,
                    {Head})
            """, new { id, workspaceId, url, events = string.Join(',', events), description, enabled = 1L, secret, now = Now },
            transaction, cancellationToken: cancellationToken));
        var created = await GetAsync(connection, transaction, workspaceId, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreatedWebhook(created!, secret);
    }

    /// <summary>The workspace an endpoint belongs to, for the CLI (which names endpoints by id alone).</summary>
    public async Task<long?> WorkspaceOfAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT workspace_id FROM webhooks WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<Webhook>> ListAsync(long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM webhooks WHERE workspace_id = @workspaceId ORDER BY created_at, id", new { workspaceId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToWebhook())];
    }

    public async Task<Webhook?> GetAsync(long workspaceId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, null, workspaceId, id, cancellationToken);
    }

    private static async Task<Webhook?> GetAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, string id, CancellationToken cancellationToken) =>
        (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM webhooks WHERE workspace_id = @workspaceId AND id = @id", new { workspaceId, id }, transaction, cancellationToken: cancellationToken)))
        ?.ToWebhook();

    /// <summary>
    /// Applies a PATCH. Enabling a disabled endpoint clears its failure record and sends it the events from
    /// now on; what it missed while disabled can be replayed.
    /// </summary>
    public async Task<Webhook?> UpdateAsync(long workspaceId, string id, WebhookChange change, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM webhooks w WHERE workspace_id = @workspaceId AND id = @id{database.LockRowsOf("w")}", new { workspaceId, id }, transaction, cancellationToken: cancellationToken));
        if (before is null)
        {
            return null;
        }
        var enabling = change.Enabled == true && before.Enabled == 0;
        var disabling = change.Enabled == false && before.Enabled == 1;
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE webhooks SET url = @url, events = @events, description = @description, enabled = @enabled,
                   disabled_reason = @reason{(enabling ? $", failing_since = NULL, last_seq = {Head}" : "")}
            WHERE workspace_id = @workspaceId AND id = @id
            """,
            new
            {
                workspaceId,
                id,
                url = change.Url ?? before.Url,
                events = change.Events is { } events ? string.Join(',', events) : before.Events,
                description = change.DescriptionGiven ? change.Description : before.Description,
                enabled = change.Enabled is { } on ? (on ? 1L : 0L) : before.Enabled,
                reason = enabling ? null : disabling ? "disabled" : before.DisabledReason,
            }, transaction, cancellationToken: cancellationToken));
        var after = await GetAsync(connection, transaction, workspaceId, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return after;
    }

    /// <summary>Deletes the endpoint and its delivery log; pending deliveries are not sent.</summary>
    public async Task<bool> DeleteAsync(long workspaceId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The row locked first: a dispatcher pass fanning out to it finishes before its deliveries are deleted.
        var found = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"SELECT w.id FROM webhooks w WHERE workspace_id = @workspaceId AND id = @id{database.LockRowsOf("w")}", new { workspaceId, id }, transaction, cancellationToken: cancellationToken)) is not null;
        if (found)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM webhook_deliveries WHERE webhook_id = @id; DELETE FROM webhooks WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        return found;
    }

    /// <summary>A new secret; the old one keeps signing beside it for <see cref="WebhookSecret.Overlap"/>.</summary>
    public async Task<CreatedWebhook?> RotateSecretAsync(long workspaceId, string id, CancellationToken cancellationToken)
    {
        var secret = WebhookSecret.New();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhooks SET previous_secret = secret, previous_secret_until = @until, secret = @secret
            WHERE workspace_id = @workspaceId AND id = @id
            """, new { workspaceId, id, secret, until = Now + (long)WebhookSecret.Overlap.TotalMilliseconds }, transaction, cancellationToken: cancellationToken));
        var webhook = changed == 0 ? null : await GetAsync(connection, transaction, workspaceId, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return webhook is null ? null : new CreatedWebhook(webhook, secret);
    }
}
