namespace CallLog.Authentication;

internal static class ApiKeyDefaults
{
    public const string Scheme = "ApiKey";
    public const string HeaderName = "X-API-Key";
    public const string QueryParameter = "api_key";

    public const string KeyIdClaim = "key_id";
    public const string WorkspaceIdClaim = "workspace_id";
    public const string PermissionClaim = "permission";
    public const string RateLimitClaim = "rate_limit";
}
