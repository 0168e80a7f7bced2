namespace CallLog.Keys;

/// <summary>What <c>keys create</c> prints: the only time the secret (<c>Key</c>) is ever shown.</summary>
internal sealed record CreatedKey(
    string Id, string Name, string Workspace, IReadOnlyList<string> Permissions,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Key);

/// <summary>What <c>keys list</c> shows: never the secret, only its display prefix.</summary>
internal sealed record KeyInfo(
    string Id, string Name, string Workspace, string Prefix, IReadOnlyList<string> Permissions,
    DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, string State);

/// <summary>The row the authentication handler needs for one request.</summary>
internal sealed record KeyCredential(string Id, long WorkspaceId, byte[] SecretHash, string Permissions, long? ExpiresAt, long? RevokedAt);

internal enum RevokeOutcome { Revoked, AlreadyRevoked, NotFound }
