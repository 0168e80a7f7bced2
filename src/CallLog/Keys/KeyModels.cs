namespace CallLog.Keys;

/// <summary>
/// What <c>keys create</c> prints: the only time the secret (<c>Key</c>) is ever shown. <c>RateLimit</c> is
/// requests per minute: null for the server's default, 0 for unlimited.
/// </summary>
internal sealed record CreatedKey(
    string Id, string Name, string Workspace, IReadOnlyList<string> Permissions,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, int? RateLimit, string Key);

/// <summary>What <c>keys list</c> shows: never the secret, only its display prefix.</summary>
internal sealed record KeyInfo(
    string Id, string Name, string Workspace, string Prefix, IReadOnlyList<string> Permissions,
    DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, int? RateLimit, string State);

/// <summary>The row the authentication handler needs for one request.</summary>
internal sealed record KeyCredential(string Id, long WorkspaceId, byte[] SecretHash, string Permissions, long? ExpiresAt, long? RevokedAt, long? RateLimit);

internal enum RevokeOutcome { Revoked, AlreadyRevoked, NotFound }
