using System.Text.Json.Nodes;
using CallLog.Calls;
using CallLog.Calls.ById;

namespace CallLog.Dialing;

/// <summary>
/// A placed call's change of status made by CallLog itself (canceled, expired): the stored call with a
/// new status and a note in its metadata, written through <see cref="CallWrites"/> so its version, its
/// event and its dial-queue row follow as for any write. The agent and contact are left as they are.
/// </summary>
internal static class Transition
{
    public static Func<StoredCall?, WriteDecision> To(CallStatus status, string? noteKey = null, string? note = null) => current =>
    {
        if (current is not { Detail: var d })
        {
            return WriteDecision.Fail(WriteOutcome.NotFound);
        }
        var metadata = JsonNode.Parse(d.Metadata.GetRawText())!.AsObject();
        if (noteKey is not null)
        {
            metadata[noteKey] = note;
        }
        var call = new Call(d.Id, d.AgentId, d.AgentName, status, d.Type, d.PhoneNumber, d.StartedAt, d.EndedAt, d.DurationSeconds,
            d.Summary, d.RecordingUrl, d.Contact)
        { Stated = SharedFields.None };
        return WriteDecision.Store(new CallWrite(call, d.Transcript, metadata.Count == 0 ? null : metadata.ToJsonString()));
    };
}
