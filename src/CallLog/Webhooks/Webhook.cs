namespace CallLog.Webhooks;

/// <summary>
/// An endpoint as the API shows it. <c>Events</c> are types or families (<c>call.*</c>, or <c>*</c> for
/// all). <c>DisabledReason</c>: <c>gone</c> (it answered 410), <c>failing</c> (every attempt failed for
/// <c>Webhooks:DisableAfter</c>) or <c>disabled</c> (a PATCH turned it off).
/// </summary>
internal sealed record Webhook(
    string Id, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled, string? DisabledReason,
    DateTimeOffset CreatedAt, DateTimeOffset? FailingSince);

/// <summary>An endpoint just created, or whose secret was just rotated: the only time its secret is shown.</summary>
internal sealed record CreatedWebhook(
    string Id, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled, string? DisabledReason,
    DateTimeOffset CreatedAt, DateTimeOffset? FailingSince, string Secret)
{
    public CreatedWebhook(Webhook webhook, string secret)
        : this(webhook.Id, webhook.Url, webhook.Events, webhook.Description, webhook.Enabled, webhook.DisabledReason, webhook.CreatedAt, webhook.FailingSince, secret)
    {
    }
}

/// <summary>The workspace's endpoints, oldest first.</summary>
internal sealed record WebhookList(IReadOnlyList<Webhook> Webhooks);
