using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CallLog.Calls.ById;

/// <summary>
/// The body of <c>PATCH /api/v1/calls/{id}</c> (JSON Merge Patch) as the OpenAPI document describes it: every
/// field optional, <c>null</c> removes it (in <c>metadata</c>, removes that key).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CallPatchInput
{
    public string? AgentId { get; init; }

    public string? AgentName { get; init; }

    public CallStatus? Status { get; init; }

    public CallType? Type { get; init; }

    public string? PhoneNumber { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public int? DurationSeconds { get; init; }

    public string? Summary { get; init; }

    public string? RecordingUrl { get; init; }

    public CallContactPatch? Contact { get; init; }

    public string? Transcript { get; init; }

    /// <summary>Keys to set; a key set to null is removed.</summary>
    public JsonObject? Metadata { get; init; }
}

/// <summary>Changes to the call's contact, merged member by member.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CallContactPatch
{
    public long? Id { get; init; }

    public string? Name { get; init; }

    public string? Email { get; init; }

    public string? Company { get; init; }
}
