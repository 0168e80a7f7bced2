using System.Security.Claims;
using CallLog.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace CallLog.Authentication;

internal static class ApiKeyAuthentication
{
    /// <summary>API-key authentication, one authorization policy per permission, and the usage tracker.</summary>
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuthentication(ApiKeyDefaults.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyDefaults.Scheme, null);
        var authorization = services.AddAuthorizationBuilder();
        foreach (var permission in Permissions.All)
        {
            authorization.AddPolicy(permission, policy => policy.RequireClaim(ApiKeyDefaults.PermissionClaim, permission));
        }
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiErrorAuthorizationResultHandler>();
        services.AddOptions<KeyUsageOptions>().Bind(configuration.GetSection("Keys"))
            .Validate(o => o.FlushInterval > TimeSpan.Zero, "Keys:FlushInterval must be a positive time span, e.g. 00:00:10.")
            .ValidateOnStart();
        services.AddSingleton<KeyUsageTracker>();
        services.AddHostedService(sp => sp.GetRequiredService<KeyUsageTracker>());
        return services;
    }

    /// <summary>The workspace of the key that authenticated this request.</summary>
    public static long WorkspaceId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirst(ApiKeyDefaults.WorkspaceIdClaim)!.Value, System.Globalization.CultureInfo.InvariantCulture);
}
