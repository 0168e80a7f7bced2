using System.Security.Claims;
using CallLog.Authentication;
using CallLog.Docs;
using CallLog.Errors;
using CallLog.Json;
using CallLog.Keys;
using CallLog.RateLimits;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallLog.Calls.List;

internal static class CallListApi
{
    /// <summary>GET on the calls group: Klen's list, with the richer filters, sort and cursors.</summary>
    public static RouteGroupBuilder MapCallList(this RouteGroupBuilder group)
    {
        group.MapGet("", ListCalls).RequireAuthorization(Permissions.ReadCalls)
            .Documented("listCalls", "Calls", "List calls",
                "Calls of the key's workspace, newest first unless `sort` says otherwise (ties by `id`), with the exact count of the whole filtered list. " +
                "Page by number, or follow `next_cursor` for the same cost at any depth. Needs `can_read_calls`.")
            .Query(
                QueryParameterDoc.Text("agent_id", "An agent's id; a bare number also finds `assistant_<number>`."),
                QueryParameterDoc.ListOf("status", "One status, or several joined by commas: `completed`, `failed`, `in-progress`, and for placed calls `queued` and `canceled`.",
                    "completed", "failed", "in-progress", "queued", "canceled"),
                QueryParameterDoc.ListOf("type", "One direction, or both joined by a comma: `inbound`, `outbound`.", "inbound", "outbound"),
                QueryParameterDoc.Time("started_after", "Calls that started at or after this time (ISO-8601 with `Z` or an offset)."),
                QueryParameterDoc.Time("started_before", "Calls that started before this time (ISO-8601 with `Z` or an offset)."),
                QueryParameterDoc.Text("phone_number", "An exact E.164 number (`+15551234567`; encode `+` as `%2B`), or a prefix ending in `*` (`+1555*`).",
                    @"^\+[1-9][0-9]{0,14}\*?$"),
                QueryParameterDoc.Int("contact_id", "Only calls with this contact.", 1, null, null),
                QueryParameterDoc.Text("campaign_id", "Only the calls of this campaign (`POST /api/v1/campaigns`)."),
                QueryParameterDoc.Text("q", "Case-insensitive search in the summary, the contact's name and the phone number (1-200 characters). Not served by an index: see docs/scaling.md."),
                QueryParameterDoc.OneOf("sort", "The order; `-` is descending. Ties by `id` in the same direction. Calls without a duration (in progress) sort as shorter than any other.",
                    "-started_at", "started_at", "-duration_seconds", "duration_seconds"),
                QueryParameterDoc.Int("page", "Page number; a page past the end is empty.", 1, null, 1),
                QueryParameterDoc.Int("limit", "Calls per page.", 1, CallListQuery.MaxLimit, 10),
                QueryParameterDoc.Text("cursor", "The `next_cursor` of a previous response with the same filters and sort; not with `page`."))
            .Errors(400, 503);
        return group;
    }

    public static async Task<Results<CallPageJson, BadRequest<ApiError>, JsonHttpResult<ApiError>>> ListCalls(
        HttpRequest request, HttpResponse response, ClaimsPrincipal user, CallList calls, CursorCodec cursors, CancellationToken cancellationToken)
    {
        if (CallListQuery.Parse(request.Query, out var error) is not { } query)
        {
            return TypedResults.BadRequest(error);
        }
        var workspaceId = user.WorkspaceId();
        CallPosition? after = null;
        if (query.Cursor is not null)
        {
            if (!cursors.TryDecode(query.Cursor, workspaceId, query, out var position))
            {
                return TypedResults.BadRequest(ApiError.Validation(
                    "cursor is not valid for this request: it was altered, or it came from a request with other filters or another sort. Use next_cursor as given, with the same filters and sort."));
            }
            after = position;
        }
        if (query.Conditions.Search is null)
        {
            return await calls.ListAsync(workspaceId, query, after, cancellationToken);
        }
        using var search = SearchSlots.TryTake(workspaceId);
        if (!search.IsAcquired)
        {
            response.Headers.RetryAfter = "5";
            return ApiError.Respond(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Busy,
                "Other searches (q) are running; retry in a few seconds, or narrow the search with a time range or an agent.");
        }
        return await calls.ListAsync(workspaceId, query, after, cancellationToken);
    }
}
