using System.Text.Json;
using CallLog.Json;

namespace CallLog.Calls;

/// <summary>What the voice runtime writes for one call: the call, its transcript, and its metadata (JSON object text, or null for {}).</summary>
internal sealed record CallWrite(Call Call, string? Transcript, string? Metadata);

/// <summary>One call in full (GET /api/v1/calls/{id}): the list's shape plus transcript and metadata.</summary>
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
    JsonElement Metadata)
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static CallDetail From(Call c, string? transcript, string? metadata) => new(
        c.Id, c.AgentId, c.AgentName, c.Status, c.Type, c.PhoneNumber, c.StartedAt, c.EndedAt, c.DurationSeconds,
        c.Summary, c.RecordingUrl, c.Contact, transcript,
        metadata is null ? EmptyObject : StrictJson.ReadStored(metadata));
}
