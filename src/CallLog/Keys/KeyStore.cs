using CallLog.Hosting;
using CallLog.Storage;
using CallLog.Workspaces;
using Dapper;

namespace CallLog.Keys;

/// <summary>API keys in the store. Nothing here caches: a key created or revoked counts at the next request.</summary>
internal sealed class KeyStore(Database database)
{
    public async Task<CreatedKey> CreateAsync(string workspace, string name, IReadOnlyList<string> permissions, DateTimeOffset? expiresAt, int? rateLimit,
        CancellationToken cancellationToken, long? callsPerDay = null)
    {
        var secret = ApiKeySecret.NewSecret();
        var id = ApiKeySecret.NewId();
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var workspaceId = await WorkspaceStore.EnsureAsync(connection, transaction, workspace, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO api_keys (id, workspace_id, name, prefix, secret_hash, permissions, created_at, expires_at, rate_limit, calls_per_day)
            VALUES (@id, @workspaceId, @name, @prefix, @hash, @permissions, @createdAt, @expiresAt, @rateLimit, @callsPerDay)
            """,
            new
            {
                id,
                workspaceId,
                name,
                prefix = ApiKeySecret.DisplayPrefix(secret),
                hash = ApiKeySecret.Hash(secret),
                permissions = string.Join(',', permissions),
                createdAt = now.ToUnixTimeSeconds(),
                expiresAt = expiresAt?.ToUnixTimeSeconds(),
                rateLimit = (long?)rateLimit,
                callsPerDay,
            }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new CreatedKey(id, name, workspace, permissions, now, expiresAt, rateLimit, secret);
    }

    public async Task<IReadOnlyList<KeyInfo>> ListAsync(string workspace, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition(
            """
            SELECT k.id, k.name, w.name AS workspace, k.prefix, k.permissions, k.created_at, k.last_used_at, k.expires_at, k.revoked_at, k.rate_limit
            FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id
            WHERE w.name = @workspace
            ORDER BY k.created_at, k.id
            """, new { workspace }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToInfo(now))];
    }

    public async Task<RevokeOutcome> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL",
            new { id, now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }, cancellationToken: cancellationToken));
        if (changed == 1)
        {
            return RevokeOutcome.Revoked;
        }
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM api_keys WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return exists == 1 ? RevokeOutcome.AlreadyRevoked : RevokeOutcome.NotFound;
    }

    public async Task<KeyCredential?> FindAsync(byte[] secretHash, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("keys.find");
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<KeyCredential>(new CommandDefinition(
            "SELECT id, workspace_id, secret_hash, permissions, expires_at, revoked_at, rate_limit FROM api_keys WHERE secret_hash = @secretHash",
            new { secretHash }, cancellationToken: cancellationToken));
    }

    /// <summary>Writes the last-use times gathered in memory; never moves a time backwards.</summary>
    public async Task RecordUseAsync(IReadOnlyCollection<(string Id, long UsedAt)> uses, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET last_used_at = @UsedAt WHERE id = @Id AND (last_used_at IS NULL OR last_used_at < @UsedAt)",
            uses.Select(u => new { u.Id, u.UsedAt }), transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    private sealed record KeyRow(
        string Id, string Name, string Workspace, string Prefix, string Permissions,
        long CreatedAt, long? LastUsedAt, long? ExpiresAt, long? RevokedAt, long? RateLimit)
    {
        public KeyInfo ToInfo(DateTimeOffset now) => new(
            Id, Name, Workspace, Prefix, Permissions.Split(','),
            FromUnix(CreatedAt), FromUnixOrNull(LastUsedAt), FromUnixOrNull(ExpiresAt), FromUnixOrNull(RevokedAt), (int?)RateLimit,
            RevokedAt is not null ? "revoked" : ExpiresAt <= now.ToUnixTimeSeconds() ? "expired" : "active");
    }

    private static DateTimeOffset FromUnix(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);

    private static DateTimeOffset? FromUnixOrNull(long? seconds) => seconds is { } s ? FromUnix(s) : null;
}
