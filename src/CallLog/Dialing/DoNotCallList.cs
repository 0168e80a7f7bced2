using CallLog.Hosting;
using CallLog.Storage;
using Dapper;

namespace CallLog.Dialing;

/// <summary>The workspace's numbers never to call: checked when a call is placed and again when it is claimed.</summary>
internal sealed class DoNotCallList(Database database)
{
    private sealed class Row
    {
        public string PhoneNumber { get; set; } = "";
        public long CreatedAt { get; set; }
    }

    public async Task<DoNotCallEntry?> GetAsync(long workspaceId, string phone, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("dnc.get");
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT phone_number AS PhoneNumber, created_at AS CreatedAt FROM do_not_call WHERE workspace_id = @workspaceId AND phone_number = @phone",
            new { workspaceId, phone }, cancellationToken: cancellationToken));
        return row is null ? null : new DoNotCallEntry(row.PhoneNumber, DateTimeOffset.FromUnixTimeSeconds(row.CreatedAt));
    }

    /// <summary>Adds numbers (already checked as E.164); returns how many were new.</summary>
    public async Task<int> AddAsync(long workspaceId, IReadOnlyList<string> phones, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("dnc.write");
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var added = 0;
        foreach (var chunk in phones.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            added += await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO do_not_call (workspace_id, phone_number, created_at) VALUES (@workspaceId, @phone, @now) ON CONFLICT (workspace_id, phone_number) DO NOTHING",
                chunk.Select(phone => new { workspaceId, phone, now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }), transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    public async Task<bool> RemoveAsync(long workspaceId, string phone, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("dnc.write");
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var removed = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM do_not_call WHERE workspace_id = @workspaceId AND phone_number = @phone",
            new { workspaceId, phone }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return removed == 1;
    }
}
