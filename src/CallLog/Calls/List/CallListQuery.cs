using System.Globalization;
using System.Text.RegularExpressions;
using CallLog.Errors;
using CallLog.Json;
using CallLog.Paging;

namespace CallLog.Calls.List;

/// <summary>
/// The list's query parameters, validated: Klen's (agent_id, status, type, page, limit), the cursor,
/// and the richer filters and sort. Anything unknown, repeated or out of range is a 400 naming it.
/// </summary>
internal sealed partial record CallListQuery(CallConditions Conditions, CallSort Sort = CallSort.StartedDescending, int Page = 1, int Limit = 10, string? Cursor = null)
{
    public const int MaxLimit = PageRequest.MaxLimit;
    public const int MaxSearchLength = 200;

    private static readonly string[] Known =
        ["agent_id", "status", "type", "started_after", "started_before", "phone_number", "contact_id", "campaign_id", "q", "sort", "page", "limit", "cursor"];

    // An E.164 number, or the start of one followed by '*'.
    [GeneratedRegex(@"^\+[1-9][0-9]{0,14}\*$")]
    private static partial Regex PhonePrefix();

    public long Offset => (long)(Page - 1) * Limit;

    public static CallListQuery? Parse(IQueryCollection query, out ApiError? error)
    {
        error = QueryParameters.Check(query, Known);
        if (error is not null)
        {
            return null;
        }
        string? agentId = query["agent_id"];
        if (agentId is { Length: 0 })
        {
            return Fail("agent_id must not be empty.", out error);
        }
        var statuses = List<CallStatus>(query, "status", CallEnums.TryParseStatus, CallEnums.StatusNames, ref error);
        var types = List<CallType>(query, "type", CallEnums.TryParseType, CallEnums.TypeNames, ref error);
        var after = Time(query, "started_after", ref error);
        var before = Time(query, "started_before", ref error);
        if (error is null && after >= before)
        {
            return Fail("started_after must be earlier than started_before.", out error);
        }
        var phone = Phone(query, ref error);
        long? contactId = null;
        if (error is null && query.TryGetValue("contact_id", out var c))
        {
            if (!long.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                return Fail($"contact_id must be a positive integer; got '{JsonFields.Clip(c!)}'.", out error);
            }
            contactId = id;
        }
        string? campaignId = query["campaign_id"];
        if (error is null && campaignId is not null && !JsonFields.IsValidId(campaignId))
        {
            return Fail($"campaign_id must be 1-{JsonFields.MaxIdLength} characters with no leading or trailing spaces.", out error);
        }
        string? search = query["q"];
        if (error is null && search is not null && (search.Trim().Length == 0 || search.Length > MaxSearchLength))
        {
            return Fail($"q must be 1-{MaxSearchLength} characters and not only spaces.", out error);
        }
        var sort = CallSort.StartedDescending;
        if (error is null && query.TryGetValue("sort", out var s) && !CallSorts.TryParse(s, out sort))
        {
            return Fail($"sort must be one of {CallSorts.Names}; got '{JsonFields.Clip(s!)}'.", out error);
        }
        string? cursor = query["cursor"];
        if (error is null && cursor is not null && query.ContainsKey("page"))
        {
            return Fail("page and cursor cannot be combined: page by number, or follow next_cursor.", out error);
        }
        if (error is null && cursor is { Length: 0 })
        {
            return Fail("cursor must not be empty; omit it for the first page.", out error);
        }
        var (page, limit) = PageRequest.Parse(query, 10, ref error);
        return error is null
            ? new CallListQuery(new CallConditions(agentId, statuses, types, after, before, phone, contactId, search?.Trim(), campaignId), sort, page, limit, cursor)
            : null;
    }

    private static CallListQuery? Fail(string message, out ApiError? error)
    {
        error = ApiError.Validation(message);
        return null;
    }

    private delegate bool TryParse<T>(string? value, out T parsed);

    /// <summary>One value or a comma list (status=completed,failed); each must be known.</summary>
    private static List<T>? List<T>(IQueryCollection query, string name, TryParse<T> parse, string allowed, ref ApiError? error)
    {
        if (error is not null || !query.TryGetValue(name, out var raw))
        {
            return null;
        }
        var values = new List<T>();
        foreach (var part in raw.ToString().Split(','))
        {
            if (!parse(part, out var value))
            {
                error = ApiError.Validation($"{name} must be one of {allowed}, or several joined by commas; got '{JsonFields.Clip(raw!)}'.");
                return null;
            }
            if (!values.Contains(value))
            {
                values.Add(value);
            }
        }
        return values;
    }

    /// <summary>
    /// A time bound in Unix seconds. Calls start on whole seconds, so a bound with a fraction (as generated
    /// clients send, 2025-06-29T00:00:00.0000000+00:00) is the next whole second, which selects the same calls.
    /// </summary>
    private static long? Time(IQueryCollection query, string name, ref ApiError? error)
    {
        if (error is not null || !query.TryGetValue(name, out var raw))
        {
            return null;
        }
        // A '+' offset arrives as a space when the client did not encode it (2025-04-23T14:30:45+02:00).
        var text = raw.ToString().Replace(' ', '+');
        if (UtcSecondsConverter.TryParse(text, out var value))
        {
            return value.ToUnixTimeSeconds();
        }
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var precise)
            && (text.EndsWith('Z') || text[^6] is '+' or '-'))
        {
            var seconds = precise.ToUnixTimeSeconds();
            return precise.UtcTicks % TimeSpan.TicksPerSecond == 0 ? seconds : seconds + 1;
        }
        error = ApiError.Validation($"{name} must be an ISO-8601 time with Z or an offset, like 2025-04-23T14:30:45Z; got '{JsonFields.Clip(raw!)}'.");
        return null;
    }

    /// <summary>An exact E.164 number, or a prefix ending in '*'; as a LIKE pattern.</summary>
    private static string? Phone(IQueryCollection query, ref ApiError? error)
    {
        if (error is not null || !query.TryGetValue("phone_number", out var raw))
        {
            return null;
        }
        // An unencoded '+' arrives as a space; a number never starts with one.
        var text = raw.ToString();
        text = text.StartsWith(' ') ? "+" + text[1..] : text;
        if (JsonFields.IsPhone(text))
        {
            return text;
        }
        if (PhonePrefix().IsMatch(text))
        {
            return text[..^1] + "%";
        }
        error = ApiError.Validation($"phone_number must be an E.164 number like +15551234567, or a prefix ending in * like +1555*; got '{JsonFields.Clip(raw!)}'.");
        return null;
    }
}
