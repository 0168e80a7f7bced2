using System.Text.Json;
using CallLog.Json;

namespace CallLog.Calls;

/// <summary>What the voice runtime writes for one call: the call, its transcript, and its metadata (JSON object text, or null for {}).</summary>
internal sealed record CallWrite(Call Call, string? Transcript, string? Metadata);

/// <summary>
/// One call in full (GET /api/v1/calls/{id}): the list's shape plus transcript and metadata, and the
/// variables a placed call was given (null for calls the runtime wrote itself; no write changes them).
/// </summary>
internal sealed record CallDetail(
    string Id,
    string AgentId,
    string? AgentName,
    CallStatus Status,
    CallType Type,
    string PhoneNumber,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    int? DurationSeconds,
    string? Summary,
    string? RecordingUrl,
    Contact? Contact,
    string? Transcript,
    JsonElement Metadata,
    JsonElement? Variables = null)
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static CallDetail From(Call c, string? transcript, string? metadata, string? variables = null) => new(
        c.Id, c.AgentId, c.AgentName, c.Status, c.Type, c.PhoneNumber, c.StartedAt, c.EndedAt, c.DurationSeconds,
        c.Summary, c.RecordingUrl, c.Contact, transcript,
        metadata is null ? EmptyObject : StrictJson.ReadStored(metadata),
        variables is null ? null : StrictJson.ReadStored(variables));

    /// <summary>Whether two reads show the same call: the JSON members compare by their text.</summary>
    public bool Same(CallDetail other) =>
        this with { Metadata = default, Variables = null } == other with { Metadata = default, Variables = null }
        && Metadata.GetRawText() == other.Metadata.GetRawText()
        && Variables?.GetRawText() == other.Variables?.GetRawText();
}
