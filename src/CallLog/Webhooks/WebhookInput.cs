using System.Text.Json.Serialization;

namespace CallLog.Webhooks;

/// <summary>The body of <c>POST /api/v1/webhooks</c> as the OpenAPI document describes it.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class WebhookInput
{
    /// <summary>An absolute http:// or https:// URL.</summary>
    public required string Url { get; init; }

    /// <summary>Event types, families (<c>call.*</c>) or <c>*</c> for every type.</summary>
    public required IReadOnlyList<string> Events { get; init; }

    public string? Description { get; init; }
}

/// <summary>The body of <c>PATCH /api/v1/webhooks/{id}</c>: any of the fields, to change only those.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class WebhookPatchInput
{
    public string? Url { get; init; }

    public IReadOnlyList<string>? Events { get; init; }

    public string? Description { get; init; }

    /// <summary>False stops deliveries; true starts them again from the next event (replay what was missed).</summary>
    public bool? Enabled { get; init; }
}

/// <summary>The body of Klen's <c>POST /api/webhooks/create/</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class KlenWebhookInput
{
    public string? Name { get; init; }

    public required string Url { get; init; }

    public required IReadOnlyList<string> SubscribedEvents { get; init; }
}

/// <summary>The body of <c>POST /api/v1/webhooks/{id}/replay</c>: events created from <c>since</c> up to <c>until</c> (default: now).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class ReplayInput
{
    public required DateTimeOffset Since { get; init; }

    public DateTimeOffset? Until { get; init; }
}
