using System.Data.Common;

namespace CallLog.Calls;

/// <summary>
/// The columns every read of calls selects, in one order, and the ordinals that read them: the list's
/// page (<c>CallPageWriter</c>), export and a single call all read through these names.
/// </summary>
internal static class CallColumns
{
    public const int Id = 0;
    public const int AgentId = 1;
    public const int AgentName = 2;
    public const int Status = 3;
    public const int Type = 4;
    public const int PhoneNumber = 5;
    public const int StartedAt = 6;
    public const int EndedAt = 7;
    public const int DurationSeconds = 8;
    public const int Summary = 9;
    public const int RecordingUrl = 10;
    public const int ContactId = 11;
    public const int ContactName = 12;
    public const int ContactEmail = 13;
    public const int ContactCompany = 14;

    /// <summary>After <see cref="Joined"/> in <see cref="Detail"/>: what only a single call shows, and its version.</summary>
    public const int Transcript = 15;
    public const int Metadata = 16;
    public const int Version = 17;
    public const int Variables = 18;

    /// <summary>The call's columns over calls <c>c</c> and contacts <c>ct</c>, with the agent's name as <paramref name="agentName"/>.</summary>
    public static string Select(string agentName) =>
        $"""
        c.id, c.agent_id, {agentName}, c.status, c.type, c.phone_number, c.started_at, c.ended_at,
        c.duration_seconds, c.summary, c.recording_url, c.contact_id, ct.name, ct.email, ct.company
        """;

    public const string ContactJoin = "LEFT JOIN contacts ct ON ct.workspace_id = c.workspace_id AND ct.id = c.contact_id";

    /// <summary>With <see cref="Joins"/>: the agent's name by a join, for reads of many calls (export) or of one.</summary>
    public static readonly string Joined = Select("a.name");

    public const string Joins = "JOIN agents a ON a.workspace_id = c.workspace_id AND a.id = c.agent_id\n" + ContactJoin;

    /// <summary>A single call: <see cref="Joined"/>, then transcript, metadata, version and variables.</summary>
    public static readonly string Detail = Joined + ", c.transcript, c.metadata, c.version, c.variables";

    public static Call Read(DbDataReader r) => new(
        Id: r.GetString(Id),
        AgentId: r.GetString(AgentId),
        AgentName: r.IsDBNull(AgentName) ? null : r.GetString(AgentName),
        Status: (CallStatus)r.GetInt16(Status),
        Type: (CallType)r.GetInt16(Type),
        PhoneNumber: r.GetString(PhoneNumber),
        StartedAt: DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(StartedAt)),
        EndedAt: r.IsDBNull(EndedAt) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(EndedAt)),
        DurationSeconds: r.IsDBNull(DurationSeconds) ? null : r.GetInt32(DurationSeconds),
        Summary: r.IsDBNull(Summary) ? null : r.GetString(Summary),
        RecordingUrl: r.IsDBNull(RecordingUrl) ? null : r.GetString(RecordingUrl),
        Contact: r.IsDBNull(ContactId) ? null : new Contact(
            r.GetInt64(ContactId),
            r.IsDBNull(ContactName) ? null : r.GetString(ContactName),
            r.IsDBNull(ContactEmail) ? null : r.GetString(ContactEmail),
            r.IsDBNull(ContactCompany) ? null : r.GetString(ContactCompany)));
}
