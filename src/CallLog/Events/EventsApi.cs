using System.Security.Claims;
using CallLog.Authentication;
using CallLog.Docs;
using CallLog.Errors;
using CallLog.Json;
using CallLog.Keys;
using CallLog.Paging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallLog.Events;

/// <summary>The event feed: every change of the workspace, in commit order, for consumers that poll.</summary>
internal static class EventsApi
{
    private static readonly string[] Parameters = ["after", "type", "limit"];

    public static RouteGroupBuilder MapEvents(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/events");
        group.MapGet("", ListEvents).RequireAuthorization(Permissions.ReadCalls)
            .Documented("listEvents", "Events", "List events",
                "The workspace's events after `after`, oldest first, in the order their changes committed. Store `next_after` and pass it as `after` " +
                "to see every event exactly once. Events are kept for `Events:RetentionDays` (30 by default). Needs `can_read_calls`.")
            .Query(
                QueryParameterDoc.Text("after", "An event id (`next_after` of the previous page); the page starts after it. Left out: from the oldest kept event."),
                QueryParameterDoc.Text("type", "One event type or several joined by commas; `call.*` matches every call event.", @"^[a-z]+\.([a-z]+|\*)(,[a-z]+\.([a-z]+|\*))*$"),
                QueryParameterDoc.Int("limit", "Events per page.", 1, PageRequest.MaxLimit, 25))
            .Errors(400);
        return group;
    }

    public static async Task<Results<Ok<EventPage>, BadRequest<ApiError>>> ListEvents(
        HttpRequest request, ClaimsPrincipal user, EventFeed feed, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var error = QueryParameters.Check(query, Parameters);
        var limit = QueryParameters.Int(query, "limit", 25, 1, PageRequest.MaxLimit, ref error);
        var workspaceId = user.WorkspaceId();
        string? after = query["after"];
        long afterSeq = 0;
        if (error is null && after is not null && !EventId.TryParse(after, workspaceId, out afterSeq))
        {
            error = ApiError.Validation($"after must be an event id from this feed, like evt_1_000000000042; got '{JsonFields.Clip(after)}'.");
        }
        List<string>? types = null;
        if (error is null && query.TryGetValue("type", out var raw))
        {
            types = [.. raw.ToString().Split(',')];
            if (types.FirstOrDefault(t => !EventTypes.IsPattern(t)) is { } unknown)
            {
                error = ApiError.Validation($"type must be event types joined by commas ({string.Join(", ", EventTypes.All)}, or a family like call.*); got '{JsonFields.Clip(unknown)}'.");
            }
        }
        return error is not null
            ? TypedResults.BadRequest(error)
            : TypedResults.Ok(await feed.ReadAsync(workspaceId, afterSeq, after, types, limit, cancellationToken));
    }
}
