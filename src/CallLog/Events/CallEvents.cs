using CallLog.Calls;

namespace CallLog.Events;

/// <summary>
/// The events a call write makes, from the call before (null when it is new) and after. In this order:
/// the lifecycle (<c>call.started</c>, <c>call.queued</c> or <c>call.created</c> for a new call;
/// <c>call.started</c> when a queued call is dialed; <c>call.ended</c>, <c>call.failed</c> or
/// <c>call.canceled</c> when it becomes final), then <c>call.summary</c>, <c>call.transcript</c> and
/// <c>call.recording</c> when that field is set to a new value, then <c>call.updated</c> when anything
/// else changed. A write that changes nothing makes none.
/// </summary>
internal static class CallEvents
{
    public static List<string> For(CallDetail? before, CallDetail after)
    {
        var types = new List<string>();
        if (before is null)
        {
            types.Add(after.Status switch
            {
                CallStatus.InProgress => EventTypes.CallStarted,
                CallStatus.Queued => EventTypes.CallQueued,
                _ => EventTypes.CallCreated,
            });
        }
        else if (before.Status != after.Status && after.Status == CallStatus.InProgress)
        {
            types.Add(EventTypes.CallStarted);
        }
        else if (before.Status != after.Status && after.Status == CallStatus.Canceled)
        {
            types.Add(EventTypes.CallCanceled);
        }
        else if (before.Status != after.Status && after.Status == CallStatus.Completed)
        {
            types.Add(EventTypes.CallEnded);
        }
        else if (before.Status != after.Status && after.Status == CallStatus.Failed)
        {
            types.Add(EventTypes.CallFailed);
        }
        if (after.Summary is not null && after.Summary != before?.Summary)
        {
            types.Add(EventTypes.CallSummary);
        }
        if (after.Transcript is not null && after.Transcript != before?.Transcript)
        {
            types.Add(EventTypes.CallTranscript);
        }
        if (after.RecordingUrl is not null && after.RecordingUrl != before?.RecordingUrl)
        {
            types.Add(EventTypes.CallRecording);
        }
        if (before is not null && OtherwiseChanged(before, after, types.Count > 0 && before.Status != after.Status))
        {
            types.Add(EventTypes.CallUpdated);
        }
        return types;
    }

    /// <summary>Whether a field no other event of this write speaks for changed; a change of status speaks for the status, start, end and duration.</summary>
    private static bool OtherwiseChanged(CallDetail before, CallDetail after, bool statusChanged)
    {
        var covered = after with
        {
            Status = statusChanged ? before.Status : after.Status,
            StartedAt = statusChanged ? before.StartedAt : after.StartedAt,
            EndedAt = statusChanged ? before.EndedAt : after.EndedAt,
            DurationSeconds = statusChanged ? before.DurationSeconds : after.DurationSeconds,
            Summary = after.Summary is null ? after.Summary : before.Summary,
            Transcript = after.Transcript is null ? after.Transcript : before.Transcript,
            RecordingUrl = after.RecordingUrl is null ? after.RecordingUrl : before.RecordingUrl,
            Metadata = before.Metadata,
            Variables = before.Variables,
        };
        return !covered.Same(before) || before.Metadata.GetRawText() != after.Metadata.GetRawText();
    }
}
