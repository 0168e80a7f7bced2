using System.Security.Claims;
using CallLog.Authentication;
using CallLog.Errors;
using CallLog.Keys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallLog.Calls;

internal static class CallsApi
{
    public static RouteGroupBuilder MapCalls(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/calls");
        group.MapGet("", ListCalls).RequireAuthorization(Permissions.ReadCalls);
        group.MapCallById();
        return group;
    }

    public static async Task<Results<Ok<CallPage>, BadRequest<ApiError>>> ListCalls(
        HttpRequest request, ClaimsPrincipal user, CallQueries calls, CursorCodec cursors, CancellationToken cancellationToken)
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
                    "cursor is not valid for this request: it was altered, or it came from a request with other filters. Use next_cursor as given, with the same agent_id, status and type."));
            }
            after = position;
        }
        return TypedResults.Ok(await calls.ListAsync(workspaceId, query, after, cancellationToken));
    }
}
