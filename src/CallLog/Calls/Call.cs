using System.Text.Json.Serialization;

namespace CallLog.Calls;

/// <summary>A call exactly as Klen's list endpoint shows it; also one line of import and export.</summary>
internal sealed record Call(
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
    Contact? Contact);

internal sealed record Contact(long Id, string? Name, string? Email, string? Company);

// The numbers are what the store keeps; the names are what the API speaks.
[JsonConverter(typeof(JsonStringEnumConverter<CallStatus>))]
internal enum CallStatus
{
    [JsonStringEnumMemberName("completed")] Completed = 1,
    [JsonStringEnumMemberName("failed")] Failed = 2,
    [JsonStringEnumMemberName("in-progress")] InProgress = 3,
}

[JsonConverter(typeof(JsonStringEnumConverter<CallType>))]
internal enum CallType
{
    [JsonStringEnumMemberName("inbound")] Inbound = 1,
    [JsonStringEnumMemberName("outbound")] Outbound = 2,
}

internal static class CallEnums
{
    public const string StatusNames = "completed, failed, in-progress";
    public const string TypeNames = "inbound, outbound";

    public static bool TryParseStatus(string? value, out CallStatus status)
    {
        status = value switch
        {
            "completed" => CallStatus.Completed,
            "failed" => CallStatus.Failed,
            "in-progress" => CallStatus.InProgress,
            _ => 0,
        };
        return status != 0;
    }

    public static bool TryParseType(string? value, out CallType type)
    {
        type = value switch
        {
            "inbound" => CallType.Inbound,
            "outbound" => CallType.Outbound,
            _ => 0,
        };
        return type != 0;
    }
}
