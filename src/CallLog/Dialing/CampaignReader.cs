using System.Text.Json;
using CallLog.Calls;
using CallLog.Json;

namespace CallLog.Dialing;

/// <summary>Reads a campaign to create and its recipients, naming the first problem (a recipient by its index).</summary>
internal static class CampaignReader
{
    private static readonly string[] Fields =
        ["name", "agent_id", "from_number", "recipients", "scheduled_at", "calling_window", "max_concurrent_calls"];

    private static readonly string[] RecipientFields = ["phone_number", "contact_id", "variables", "metadata"];

    public const int MaxNameLength = 200;

    public static (NewCampaign? Campaign, List<Recipient>? Recipients) Read(JsonElement body, DateTimeOffset now, out string? problem)
    {
        var e = new JsonFields();
        if (!e.IsObjectOf(body, Fields, "a campaign"))
        {
            problem = e.First;
            return (null, null);
        }
        var campaign = Settings(e, body, now);
        var recipients = new List<Recipient>();
        if (e.First is null && e.TryGet(body, "recipients", required: true, out var list))
        {
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > CampaignStore.MaxRecipients)
            {
                e.Fail("recipients", $"must be a list of 1 to {CampaignStore.MaxRecipients:N0} recipients");
            }
            else
            {
                var index = 0;
                foreach (var item in list.EnumerateArray())
                {
                    var fields = new JsonFields($"recipients[{index++}].");
                    if (Recipient(fields, item) is { } recipient)
                    {
                        recipients.Add(recipient);
                    }
                    e.Adopt(fields);
                    if (e.First is not null)
                    {
                        break;
                    }
                }
            }
        }
        problem = e.First;
        return problem is null ? (campaign, recipients) : (null, null);
    }

    /// <summary>The campaign's own fields (everything but its recipients), for the API and the CLI.</summary>
    public static NewCampaign? Settings(JsonFields e, JsonElement body, DateTimeOffset now)
    {
        var name = e.String(body, "name", required: true, MaxNameLength);
        var agentId = e.Id(body, "agent_id");
        var from = e.Phone(body, "from_number", required: false);
        var scheduled = CallJsonReader.Timestamp(e, body, "scheduled_at", required: false);
        if (e.First is null && scheduled < now - Placement.ScheduleSlack)
        {
            e.Fail("scheduled_at", "must not be more than a minute in the past");
        }
        CallingWindow? window = null;
        if (e.First is null && e.TryGet(body, "calling_window", required: false, out var value))
        {
            var fields = new JsonFields("calling_window.");
            window = CallingWindow.Read(fields, value);
            e.Adopt(fields);
        }
        var max = e.Integer(body, "max_concurrent_calls", required: false, 1, 100_000);
        return e.First is null ? new NewCampaign(name!, agentId!, from, scheduled?.ToUnixTimeMilliseconds(), window, max) : null;
    }

    /// <summary>One recipient: <c>{"phone_number": "+1...", "contact_id": 1, "variables": {...}, "metadata": {...}}</c>.</summary>
    public static Recipient? Recipient(JsonFields e, JsonElement item)
    {
        if (!e.IsObjectOf(item, RecipientFields, "a recipient"))
        {
            return null;
        }
        var phone = e.Phone(item, "phone_number", required: true);
        var contact = e.Integer(item, "contact_id", required: false, 1, long.MaxValue);
        var variables = e.ObjectText(item, "variables");
        var metadata = e.ObjectText(item, "metadata");
        return e.First is null ? new Recipient(phone!, contact, variables, metadata) : null;
    }
}
