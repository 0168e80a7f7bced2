using CallLog.Errors;
using CallLog.Json;
using CallLog.Paging;

namespace CallLog.Calls;

/// <summary>The seed's query parameters, validated. Anything unknown, repeated or out of range is a 400.</summary>
internal sealed record CallListQuery(string? AgentId, CallStatus? Status, CallType? Type, int Page = 1, int Limit = 10, string? Cursor = null)
{
    public const int MaxLimit = PageRequest.MaxLimit;

    private static readonly string[] Known = ["agent_id", "status", "type", "page", "limit", "cursor"];

    public long Offset => (long)(Page - 1) * Limit;

    public static CallListQuery? Parse(IQueryCollection query, out ApiError? error)
    {
        error = QueryParameters.CheckNames(query, Known);
        if (error is not null)
        {
            return null;
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
                error = ApiError.Validation($"status must be one of {CallEnums.StatusNames}; got '{JsonFields.Clip(s!)}'.");
                return null;
            }
            status = parsed;
        }
        CallType? type = null;
        if (query.TryGetValue("type", out var t))
        {
            if (!CallEnums.TryParseType(t, out var parsed))
            {
                error = ApiError.Validation($"type must be one of {CallEnums.TypeNames}; got '{JsonFields.Clip(t!)}'.");
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
        var (page, limit) = PageRequest.Parse(query, 10, ref error);
        return error is null ? new CallListQuery(agentId, status, type, page, limit, cursor) : null;
    }
}
