using System.Globalization;
using System.Text.Json;
using CallLog.Json;

namespace CallLog.Dialing;

/// <summary>
/// When a campaign may dial: from <c>Start</c> to <c>End</c> (minutes of the local day, end excluded) on
/// <c>Days</c> (bit 0 Monday to bit 6 Sunday), in an IANA time zone. "Local" is the zone's wall clock at
/// the moment asked about, so a window keeps its local hours across daylight-saving changes.
/// </summary>
internal sealed record CallingWindow(int Start, int End, string TimeZone, int Days)
{
    private static readonly string[] Fields = ["start", "end", "timezone", "days"];
    private static readonly string[] DayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    public const int EveryDay = 0b111_1111;

    public bool IsOpen(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(TimeZone));
        var day = ((int)local.DayOfWeek + 6) % 7;
        var minute = (local.Hour * 60) + local.Minute;
        return (Days & (1 << day)) != 0 && minute >= Start && minute < End;
    }

    /// <summary>The window as the API shows it.</summary>
    public CallingWindowView View() => new(Clock(Start), Clock(End), TimeZone, [.. DayNames.Where((_, i) => (Days & (1 << i)) != 0)]);

    private static string Clock(int minutes) => $"{minutes / 60:D2}:{minutes % 60:D2}";

    /// <summary>
    /// <c>{"start":"09:00","end":"18:00","timezone":"America/New_York","days":["mon",...]}</c> (days left out:
    /// every day), or null with the first problem recorded in <paramref name="e"/>.
    /// </summary>
    public static CallingWindow? Read(JsonFields e, JsonElement value)
    {
        if (!e.IsObjectOf(value, Fields, "a calling window"))
        {
            return null;
        }
        var start = Minutes(e, value, "start");
        var end = Minutes(e, value, "end");
        var zone = e.String(value, "timezone", required: true);
        if (zone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            e.Fail("timezone", $"must be an IANA time zone like America/New_York, got \"{JsonFields.Clip(zone)}\"");
        }
        var days = EveryDay;
        if (e.TryGet(value, "days", required: false, out var list))
        {
            days = 0;
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                e.Fail("days", "must be a list of one or more of mon, tue, wed, thu, fri, sat, sun");
            }
            else
            {
                foreach (var item in list.EnumerateArray())
                {
                    var index = item.ValueKind == JsonValueKind.String ? Array.IndexOf(DayNames, item.GetString()) : -1;
                    if (index < 0)
                    {
                        e.Fail("days", $"must be a list of mon, tue, wed, thu, fri, sat, sun, got {JsonFields.Describe(item)}");
                        break;
                    }
                    days |= 1 << index;
                }
            }
        }
        if (e.First is null && end <= start)
        {
            e.Fail("end", "must be after start (a window ends on the day it starts)");
        }
        return e.First is null ? new CallingWindow(start!.Value, end!.Value, zone!, days) : null;
    }

    private static int? Minutes(JsonFields e, JsonElement value, string field)
    {
        var text = e.String(value, field, required: true);
        if (text is null)
        {
            return null;
        }
        if (text == "24:00")
        {
            return 24 * 60;
        }
        if (!TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            e.Fail(field, $"must be a time of day like 09:00, got \"{JsonFields.Clip(text)}\"");
            return null;
        }
        return (time.Hour * 60) + time.Minute;
    }
}

internal sealed record CallingWindowView(string Start, string End, string Timezone, IReadOnlyList<string> Days);
