namespace CallLog.Events;

/// <summary>The event types: Klen's names first, dot-separated.</summary>
internal static class EventTypes
{
    public const string CallStarted = "call.started";
    public const string CallEnded = "call.ended";
    public const string CallFailed = "call.failed";
    public const string CallSummary = "call.summary";
    public const string CallTranscript = "call.transcript";
    public const string CallRecording = "call.recording";
    public const string CallCreated = "call.created";
    public const string CallUpdated = "call.updated";
    public const string CallDeleted = "call.deleted";
    public const string AgentUpdated = "agent.updated";
    public const string ContactUpdated = "contact.updated";

    public static readonly string[] All =
        [CallStarted, CallEnded, CallFailed, CallSummary, CallTranscript, CallRecording, CallCreated, CallUpdated, CallDeleted, AgentUpdated, ContactUpdated];

    /// <summary>A type, or a family with <c>.*</c> (<c>call.*</c>).</summary>
    public static bool IsPattern(string value) =>
        All.Contains(value, StringComparer.Ordinal) || (value.EndsWith(".*", StringComparison.Ordinal) && All.Any(t => t.StartsWith(value[..^1], StringComparison.Ordinal)));

    public static bool Matches(string pattern, string type) =>
        pattern.EndsWith(".*", StringComparison.Ordinal) ? type.StartsWith(pattern[..^1], StringComparison.Ordinal) : pattern == type;
}
