using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CallLog.Calls.ById;

/// <summary>
/// The body of <c>PUT /api/v1/calls/{id}</c> as the OpenAPI document describes it; <see cref="CallJsonReader"/>
/// reads the body itself. Fields that may be null may also be left out; unknown fields are refused.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CallInput
{
    /// <summary>May be left out; if given, the id in the URL.</summary>
    public string Id { get; init; } = "";

    public required string AgentId { get; init; }

    /// <summary>The agent's name, shared by its calls: left out leaves it as it is, null clears it.</summary>
    public string? AgentName { get; init; }

    public required CallStatus Status { get; init; }

    public required CallType Type { get; init; }

    /// <summary>E.164, like +15551234567.</summary>
    public required string PhoneNumber { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public int? DurationSeconds { get; init; }

    public string? Summary { get; init; }

    public string? RecordingUrl { get; init; }

    public CallContactInput? Contact { get; init; }

    public string? Transcript { get; init; }

    /// <summary>An object of the runtime's own keys; null or left out for {}.</summary>
    public JsonObject? Metadata { get; init; }
}

/// <summary>The contact a call names: its id, and the fields to state about it (each left out stays as it is, null clears it).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CallContactInput
{
    public required long Id { get; init; }

    public string? Name { get; init; }

    public string? Email { get; init; }

    public string? Company { get; init; }
}
