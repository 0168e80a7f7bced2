using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CallLog.Client;

/// <summary>A call as the list shows it.</summary>
public record Call
{
    /// <summary>The call's id, unique in its workspace.</summary>
    public required string Id { get; init; }

    /// <summary>The agent that placed or answered the call.</summary>
    public required string AgentId { get; init; }

    /// <summary>The agent's current name, if it has one.</summary>
    public string? AgentName { get; init; }

    /// <summary>Completed, failed, or still in progress.</summary>
    public required CallStatus Status { get; init; }

    /// <summary>Inbound or outbound.</summary>
    public required CallType Type { get; init; }

    /// <summary>The other party's number, E.164 (e.g. +15551234567).</summary>
    public required string PhoneNumber { get; init; }

    /// <summary>When the call started (whole seconds; sent as UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended; null while in progress.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Length in seconds; null while in progress.</summary>
    public int? DurationSeconds { get; init; }

    /// <summary>What the call was about.</summary>
    public string? Summary { get; init; }

    /// <summary>Where the recording is.</summary>
    public string? RecordingUrl { get; init; }

    /// <summary>Who was called or called.</summary>
    public Contact? Contact { get; init; }
}

/// <summary>One call in full: the list's fields plus transcript and metadata, and the version it was read at.</summary>
public sealed record CallDetail : Call
{
    /// <summary>The conversation, if recorded.</summary>
    public string? Transcript { get; init; }

    /// <summary>String keys the voice runtime attached; empty when none.</summary>
    public JsonObject Metadata { get; init; } = new();

    /// <summary>What a placed call (POST /api/v1/calls) was given for the runtime; null for calls the runtime wrote.</summary>
    public JsonObject? Variables { get; init; }

    /// <summary>The response's ETag: pass it as <c>ifMatch</c> to write only if nobody changed the call since.</summary>
    [JsonIgnore]
    public string? ETag { get; init; }
}

/// <summary>A contact as a call shows it.</summary>
public sealed record Contact(long Id, string? Name, string? Email, string? Company);

/// <summary>Call status.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallStatus>))]
public enum CallStatus
{
    /// <summary>The call ended normally.</summary>
    [JsonStringEnumMemberName("completed")] Completed,

    /// <summary>The call did not connect or broke off.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>The call is still going on.</summary>
    [JsonStringEnumMemberName("in-progress")] InProgress,

    /// <summary>The call was placed and waits to be dialed.</summary>
    [JsonStringEnumMemberName("queued")] Queued,

    /// <summary>The call was placed and given up before it was dialed.</summary>
    [JsonStringEnumMemberName("canceled")] Canceled,
}

/// <summary>Call direction.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallType>))]
public enum CallType
{
    /// <summary>The other party called the agent.</summary>
    [JsonStringEnumMemberName("inbound")] Inbound,

    /// <summary>The agent called the other party.</summary>
    [JsonStringEnumMemberName("outbound")] Outbound,
}
