using System.Globalization;
using CallLog.Errors;

namespace CallLog.Calls;

/// <summary>The seed's query parameters, validated. Anything unknown, repeated or out of range is a 400.</summary>
internal sealed record CallListQuery(string? AgentId, CallStatus? Status, CallType? Type, int Page = 1, int Limit = 10, string? Cursor = null)
{
    public const int MaxLimit = 100;

    private static readonly string[] Known = ["agent_id", "status", "type", "page", "limit", "cursor", "api_key"];

    public long Offset => (long)(Page - 1) * Limit;

    public static CallListQuery? Parse(IQueryCollection query, out ApiError? error)
    {
        error = null;
        foreach (var (name, values) in query)
        {
            if (!Known.Contains(name, StringComparer.Ordinal))
            {
                error = ApiError.Validation($"Unknown query parameter '{Clip(name)}'. Allowed: agent_id, status, type, page, limit, cursor.");
                return null;
            }
            if (values.Count > 1)
            {
                error = ApiError.Validation($"Query parameter '{name}' was given {values.Count} times; give it once.");
                return null;
            }
        }

        string? agentId = query["agent_id"];
        if (agentId is { Length: 0 })
        {
            error = ApiError.Validation("agent_id must not be empty.");
            return null;
        }
        CallStatus? status = null;
        if (query.TryGetValue("status", out var s))
        {
            if (!CallEnums.TryParseStatus(s, out var parsed))
            {
                error = ApiError.Validation($"status must be one of {CallEnums.StatusNames}; got '{Clip(s!)}'.");
                return null;
            }
            status = parsed;
        }
        CallType? type = null;
        if (query.TryGetValue("type", out var t))
        {
            if (!CallEnums.TryParseType(t, out var parsed))
            {
                error = ApiError.Validation($"type must be one of {CallEnums.TypeNames}; got '{Clip(t!)}'.");
                return null;
            }
            type = parsed;
        }
        string? cursor = query["cursor"];
        if (cursor is not null && query.ContainsKey("page"))
        {
            error = ApiError.Validation("page and cursor cannot be combined: page by number, or follow next_cursor.");
            return null;
        }
        if (cursor is { Length: 0 })
        {
            error = ApiError.Validation("cursor must not be empty; omit it for the first page.");
            return null;
        }
        var page = ParseInt(query, "page", 1, 1, int.MaxValue, ref error);
        var limit = ParseInt(query, "limit", 10, 1, MaxLimit, ref error);
        return error is null ? new CallListQuery(agentId, status, type, page, limit, cursor) : null;
    }

    private static int ParseInt(IQueryCollection query, string name, int fallback, int min, int max, ref ApiError? error)
    {
        if (error is not null || !query.TryGetValue(name, out var raw))
        {
            return fallback;
        }
        // Digits only: "1.0", "+2", " 3" and "0x10" are all mistakes worth reporting, not guessing at.
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        error = ApiError.Validation($"{name} must be an integer from {min} to {max}; got '{Clip(raw!)}'.");
        return fallback;
    }

    /// <summary>Echo enough of a bad value to recognise it, never a wall of text.</summary>
    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
