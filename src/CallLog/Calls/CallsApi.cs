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
        return group;
    }

    public static async Task<Results<Ok<CallPage>, BadRequest<ApiError>>> ListCalls(
        HttpRequest request, ClaimsPrincipal user, CallQueries calls, CancellationToken cancellationToken)
    {
        if (CallListQuery.Parse(request.Query, out var error) is not { } query)
        {
            return TypedResults.BadRequest(error);
        }
        return TypedResults.Ok(await calls.ListAsync(user.WorkspaceId(), query, cancellationToken));
    }
}
