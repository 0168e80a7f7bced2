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
    Contact? Contact)
{
    /// <summary>
    /// Which of the agent's and contact's own fields the input stated (null included). A write upserts the
    /// agent and contact with these alone: a field left out leaves what another call said about them.
    /// </summary>
    [JsonIgnore]
    public SharedFields Stated { get; init; } = SharedFields.All;

    /// <summary>This call with the unstated shared fields as <paramref name="stored"/> shows them, where it names the same agent or contact.</summary>
    public Call WithUnstatedFrom(string storedAgentId, string? storedAgentName, Contact? storedContact)
    {
        var agentName = !Stated.HasFlag(SharedFields.AgentName) && storedAgentId == AgentId ? storedAgentName : AgentName;
        var contact = Contact is { } k && storedContact is { } s && s.Id == k.Id
            ? new Contact(k.Id,
                Stated.HasFlag(SharedFields.ContactName) ? k.Name : s.Name,
                Stated.HasFlag(SharedFields.ContactEmail) ? k.Email : s.Email,
                Stated.HasFlag(SharedFields.ContactCompany) ? k.Company : s.Company)
            : Contact;
        return this with { AgentName = agentName, Contact = contact };
    }
}

internal sealed record Contact(long Id, string? Name, string? Email, string? Company);

/// <summary>The fields of a call that belong to its agent or contact, shared with every call naming them.</summary>
[Flags]
internal enum SharedFields
{
    None = 0,
    AgentName = 1,
    ContactName = 2,
    ContactEmail = 4,
    ContactCompany = 8,
    All = AgentName | ContactName | ContactEmail | ContactCompany,
}

// The numbers are what the store keeps; the names are what the API speaks.
[JsonConverter(typeof(JsonStringEnumConverter<CallStatus>))]
internal enum CallStatus
{
    [JsonStringEnumMemberName("completed")] Completed = 1,
    [JsonStringEnumMemberName("failed")] Failed = 2,
    [JsonStringEnumMemberName("in-progress")] InProgress = 3,
    // Placed through POST /api/v1/calls (Dialing/): waiting to be dialed, or given up before it was.
    [JsonStringEnumMemberName("queued")] Queued = 4,
    [JsonStringEnumMemberName("canceled")] Canceled = 5,
}

[JsonConverter(typeof(JsonStringEnumConverter<CallType>))]
internal enum CallType
{
    [JsonStringEnumMemberName("inbound")] Inbound = 1,
    [JsonStringEnumMemberName("outbound")] Outbound = 2,
}

internal static class CallEnums
{
    public const string StatusNames = "completed, failed, in-progress, queued, canceled";

    /// <summary>What a runtime's PUT, PATCH or import may say; queued and canceled come from placing and canceling.</summary>
    public const string WrittenStatusNames = "completed, failed, in-progress";
    public const string TypeNames = "inbound, outbound";

    public static bool TryParseStatus(string? value, out CallStatus status)
    {
        status = value switch
        {
            "completed" => CallStatus.Completed,
            "failed" => CallStatus.Failed,
            "in-progress" => CallStatus.InProgress,
            "queued" => CallStatus.Queued,
            "canceled" => CallStatus.Canceled,
            _ => 0,
        };
        return status != 0;
    }

    public static bool TryParseWrittenStatus(string? value, out CallStatus status) =>
        TryParseStatus(value, out status) && status is CallStatus.Completed or CallStatus.Failed or CallStatus.InProgress;

    public static string Name(CallStatus status) => status switch
    {
        CallStatus.Completed => "completed",
        CallStatus.Failed => "failed",
        CallStatus.InProgress => "in-progress",
        CallStatus.Queued => "queued",
        _ => "canceled",
    };

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
