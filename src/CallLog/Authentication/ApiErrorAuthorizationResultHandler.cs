using CallLog.Errors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace CallLog.Authentication;

/// <summary>Answers a key that lacks a permission with Klen's 403, naming the permission it lacks.</summary>
internal sealed class ApiErrorAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        var missing = policy.Requirements.OfType<ClaimsAuthorizationRequirement>()
            .SelectMany(r => r.AllowedValues ?? []).FirstOrDefault() ?? "the required";
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.Response.WriteAsJsonAsync(
            new ApiError(ErrorCodes.PermissionDenied, $"The API key doesn't have the {missing} permission."),
            CallLogJson.Wire.ApiError, cancellationToken: context.RequestAborted);
    }
}
