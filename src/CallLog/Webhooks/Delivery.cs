namespace CallLog.Webhooks;

/// <summary>
/// One event for one endpoint and what its latest attempt got. <c>Status</c>: <c>pending</c> (to be sent or
/// retried at <c>NextAttemptAt</c>), <c>succeeded</c> (a 2xx), <c>failed</c> (given up). <c>Error</c> names a
/// failure without an HTTP answer (timeout, connection refused, TLS); <c>ResponseBody</c> is the answer's
/// first KiB.
/// </summary>
internal sealed record Delivery(
    string Id, string WebhookId, string EventId, string EventType, string Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt,
    int? ResponseStatus, int? LatencyMs, string? Error, string? ResponseBody);

/// <summary>A page of the delivery log, newest first; <c>NextCursor</c> reads on.</summary>
internal sealed record DeliveryPage(IReadOnlyList<Delivery> Deliveries, string? NextCursor);

/// <summary>What a replay queued.</summary>
internal sealed record Replay(int Deliveries);

internal static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    public static readonly string[] All = [Pending, Succeeded, Failed];
}
