using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CallLog.Dialing;

/// <summary>The body of <c>POST /api/v1/calls</c> as the OpenAPI document describes it: Klen's fields, then CallLog's.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class PlaceCallInput
{
    /// <summary>The number to call, E.164.</summary>
    public required string PhoneNumber { get; init; }

    /// <summary>An agent of the workspace (404 otherwise).</summary>
    public required string AgentId { get; init; }

    [Range(1, long.MaxValue)]
    public long? ContactId { get; init; }

    /// <summary>Handed to the runtime with the call, shown by GET; never changed after.</summary>
    public JsonObject? Variables { get; init; }

    public JsonObject? Metadata { get; init; }

    /// <summary>The number to call from, E.164; handed to the runtime.</summary>
    public string? FromNumber { get; init; }

    /// <summary>Not dialed before this time (at most a minute in the past).</summary>
    public DateTimeOffset? ScheduledAt { get; init; }

    /// <summary>Given up after this time: the call becomes failed, <c>metadata.failure_reason: "expired"</c>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>The body of <c>POST /api/v1/dial-queue/claim</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class ClaimInput
{
    [Range(1, 100)]
    public int? Limit { get; init; }

    /// <summary>How long the calls are the caller's; a call whose lease runs out goes back to the queue.</summary>
    [Range(1, 3600)]
    public int? LeaseSeconds { get; init; }

    /// <summary>Only this agent's calls.</summary>
    public string? AgentId { get; init; }

    /// <summary>Only these calls (a runtime pushed <c>call.queued</c> by webhook claims by id).</summary>
    public IReadOnlyList<string>? Ids { get; init; }
}

/// <summary>The body of <c>POST /api/v1/dial-queue/{id}/release</c>; may be empty.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class ReleaseInput
{
    /// <summary>Due again at this time (busy, no answer); left out: at once.</summary>
    public DateTimeOffset? RetryAt { get; init; }
}

/// <summary>The body of <c>POST /api/v1/campaigns</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CampaignInput
{
    public required string Name { get; init; }

    /// <summary>An agent of the workspace: every recipient's call is its call.</summary>
    public required string AgentId { get; init; }

    public string? FromNumber { get; init; }

    /// <summary>1 to 100,000; one that is not valid refuses the whole campaign, naming its index. Numbers on the do-not-call list are skipped and counted.</summary>
    public required IReadOnlyList<RecipientInput> Recipients { get; init; }

    /// <summary>Not dialed before this time.</summary>
    public DateTimeOffset? ScheduledAt { get; init; }

    /// <summary>Dialed only inside this window of local time.</summary>
    public CallingWindowInput? CallingWindow { get; init; }

    /// <summary>The campaign's calls leased or in progress at once.</summary>
    [Range(1, 100000)]
    public long? MaxConcurrentCalls { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class RecipientInput
{
    public required string PhoneNumber { get; init; }

    [Range(1, long.MaxValue)]
    public long? ContactId { get; init; }

    public JsonObject? Variables { get; init; }

    public JsonObject? Metadata { get; init; }
}

/// <summary><c>09:00</c> to <c>18:00</c> (end excluded; <c>24:00</c> allowed) in an IANA time zone, on the given days (default: every day).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CallingWindowInput
{
    public required string Start { get; init; }

    public required string End { get; init; }

    public required string Timezone { get; init; }

    /// <summary>Of mon, tue, wed, thu, fri, sat, sun.</summary>
    public IReadOnlyList<string>? Days { get; init; }
}
