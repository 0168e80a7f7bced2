using Dapper;

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
    public const string CallQueued = "call.queued";
    public const string CallCanceled = "call.canceled";
    public const string AgentUpdated = "agent.updated";
    public const string ContactUpdated = "contact.updated";

    /// <summary>Sent to one webhook endpoint by its test action; never in the log.</summary>
    public const string WebhookTest = "webhook.test";

    public static readonly string[] All =
        [CallStarted, CallEnded, CallFailed, CallSummary, CallTranscript, CallRecording, CallCreated, CallUpdated, CallDeleted, CallQueued, CallCanceled,
            AgentUpdated, ContactUpdated];

    /// <summary>A type, or a family with <c>.*</c> (<c>call.*</c>).</summary>
    public static bool IsPattern(string value) =>
        All.Contains(value, StringComparer.Ordinal) || (value.EndsWith(".*", StringComparison.Ordinal) && All.Any(t => t.StartsWith(value[..^1], StringComparison.Ordinal)));

    public static bool Matches(string pattern, string type) =>
        pattern.EndsWith(".*", StringComparison.Ordinal) ? type.StartsWith(pattern[..^1], StringComparison.Ordinal) : pattern == type;

    /// <summary>
    /// A SQL condition on <paramref name="column"/> for any of <paramref name="patterns"/> (types, families
    /// like <c>call.*</c>, or <c>*</c> for every type), its values added to <paramref name="parameters"/>.
    /// </summary>
    public static string Condition(IReadOnlyList<string> patterns, string column, DynamicParameters parameters)
    {
        if (patterns.Contains("*"))
        {
            return "1 = 1";
        }
        var conditions = patterns.Select((pattern, i) =>
        {
            var family = pattern.EndsWith(".*", StringComparison.Ordinal);
            parameters.Add($"type{i}", family ? pattern[..^1] + "%" : pattern);
            return family ? $"{column} LIKE @type{i}" : $"{column} = @type{i}";
        });
        return $"({string.Join(" OR ", conditions)})";
    }
}
