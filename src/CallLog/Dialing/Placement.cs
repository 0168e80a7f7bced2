using System.Text.Json;
using CallLog.Calls;
using CallLog.Json;

namespace CallLog.Dialing;

/// <summary>
/// A call to place, as POST /api/v1/calls gives it (Klen's body plus CallLog's scheduling fields): the
/// variables and metadata as JSON object text (null for none), times as Unix milliseconds.
/// </summary>
internal sealed record Placement(
    string PhoneNumber, string AgentId, long? ContactId, string? Variables, string? Metadata,
    string? FromNumber, long? ScheduledAt, long? ExpiresAt)
{
    private static readonly string[] Fields =
        ["phone_number", "agent_id", "contact_id", "variables", "metadata", "from_number", "scheduled_at", "expires_at"];

    /// <summary>How far in the past <c>scheduled_at</c> may be: a client's clock and the trip here.</summary>
    public static readonly TimeSpan ScheduleSlack = TimeSpan.FromMinutes(1);

    /// <summary>The placement in <paramref name="body"/>, or null with <paramref name="problem"/> naming the first thing wrong.</summary>
    public static Placement? Read(JsonElement body, DateTimeOffset now, out string? problem)
    {
        var e = new JsonFields();
        if (!e.IsObjectOf(body, Fields, "a call to place"))
        {
            problem = e.First;
            return null;
        }
        var phone = e.Phone(body, "phone_number", required: true);
        var agentId = e.Id(body, "agent_id");
        var contactId = e.Integer(body, "contact_id", required: false, 1, long.MaxValue);
        var variables = e.ObjectText(body, "variables");
        var metadata = e.ObjectText(body, "metadata");
        var from = e.Phone(body, "from_number", required: false);
        var scheduled = CallJsonReader.Timestamp(e, body, "scheduled_at", required: false);
        var expires = CallJsonReader.Timestamp(e, body, "expires_at", required: false);
        if (e.First is null && scheduled < now - ScheduleSlack)
        {
            e.Fail("scheduled_at", "must not be more than a minute in the past");
        }
        if (e.First is null && expires is { } x && x <= (scheduled ?? now))
        {
            e.Fail("expires_at", scheduled is null ? "must be in the future" : "must be after scheduled_at");
        }
        problem = e.First;
        return problem is null
            ? new Placement(phone!, agentId!, contactId, variables, metadata, from, scheduled?.ToUnixTimeMilliseconds(), expires?.ToUnixTimeMilliseconds())
            : null;
    }
}
