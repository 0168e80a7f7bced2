using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using CallLog.Errors;
using CallLog.Hosting;
using CallLog.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CallLog.Authentication;

/// <summary>Authenticates a request by its API key, and answers failures with Klen's 401 bodies.</summary>
internal sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    KeyStore keys,
    KeyUsageTracker usage,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private ApiError _failure = new(ErrorCodes.AuthenticationRequired, "No API key was provided.");
    private string _reason = "missing";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey.Read(Request);
        if (presented.Key is null)
        {
            return Failed(presented.ErrorCode!, presented.Message!, presented.ErrorCode == ErrorCodes.InvalidKey ? "several_keys" : "missing");
        }
        if (!ApiKeySecret.HasKeyShape(presented.Key))
        {
            return Failed(ErrorCodes.InvalidKey, "The API key is invalid or inactive.", "malformed");
        }

        var hash = ApiKeySecret.Hash(presented.Key);
        var credential = await keys.FindAsync(hash, Context.RequestAborted);
        // The lookup is by hash, so its timing says nothing about the secret; the fixed-time comparison
        // keeps it that way even if a store ever matched loosely (collation, truncation).
        if (credential is null || !CryptographicOperations.FixedTimeEquals(credential.SecretHash, hash))
        {
            return Failed(ErrorCodes.InvalidKey, "The API key is invalid or inactive.", "unknown");
        }
        var now = time.GetUtcNow();
        if (credential.RevokedAt is not null)
        {
            return Failed(ErrorCodes.InvalidKey, "The API key has been revoked.", "revoked");
        }
        if (credential.ExpiresAt <= now.ToUnixTimeSeconds())
        {
            return Failed(ErrorCodes.InvalidKey, "The API key has expired.", "expired");
        }

        usage.Record(credential.Id, now);
        var claims = new List<Claim>
        {
            new(ApiKeyDefaults.KeyIdClaim, credential.Id),
            new(ApiKeyDefaults.WorkspaceIdClaim, credential.WorkspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (credential.RateLimit is { } perMinute)
        {
            claims.Add(new Claim(ApiKeyDefaults.RateLimitClaim, perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        claims.AddRange(credential.Permissions.Split(',').Select(p => new Claim(ApiKeyDefaults.PermissionClaim, p)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyDefaults.Scheme));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, ApiKeyDefaults.Scheme));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync();
        // Counted here, not at authentication: only an endpoint that needs a key can refuse one.
        Telemetry.KeyRejected(_reason);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Response.WriteAsJsonAsync(_failure, CallLogJson.Wire.ApiError, cancellationToken: Context.RequestAborted);
    }

    private AuthenticateResult Failed(string code, string message, string reason)
    {
        _failure = new ApiError(code, message);
        _reason = reason;
        return code == ErrorCodes.AuthenticationRequired ? AuthenticateResult.NoResult() : AuthenticateResult.Fail(message);
    }
}
