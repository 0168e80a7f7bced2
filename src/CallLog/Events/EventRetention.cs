using CallLog.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace CallLog.Events;

/// <summary>How long events are kept, and how often older ones are pruned.</summary>
internal sealed class EventOptions
{
    /// <summary>Days an event is kept; fractions allowed.</summary>
    public double RetentionDays { get; set; } = 30;

    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Deletes events, and finished webhook deliveries, older than <see cref="EventOptions.RetentionDays"/>, in
/// the background, in batches of a few thousand so that no one transaction holds the store for long. Every node prunes; they delete the
/// same rows, which is harmless. A store that is out is tried again at the next interval.
/// </summary>
internal sealed partial class EventRetention(Database database, TimeProvider time, IOptions<EventOptions> options, ILogger<EventRetention> logger) : BackgroundService
{
    private const int Batch = 5_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PruneInterval, time);
        do
        {
            try
            {
                await PruneAsync(time.GetUtcNow().AddDays(-options.Value.RetentionDays).ToUnixTimeSeconds(), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Whatever failed, the node keeps serving; an exception leaving ExecuteAsync would stop the host.
                PruneFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// Per workspace, the first event young enough to keep bounds the ones to delete; it is found by reading
    /// the events in number order (oldest first), so no index on their time is kept for this (every write
    /// would pay for it). Then the older ones go, a batch at a time from the oldest.
    /// </summary>
    private async Task PruneAsync(long cutoff, CancellationToken cancellationToken)
    {
        List<long> workspaces;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            workspaces = (await connection.QueryAsync<long>(new CommandDefinition("SELECT workspace_id FROM event_counters", cancellationToken: cancellationToken))).AsList();
        }
        foreach (var workspaceId in workspaces)
        {
            long keepFrom;
            await using (var connection = await database.OpenAsync(cancellationToken))
            {
                keepFrom = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    """
                    SELECT COALESCE((SELECT seq FROM events WHERE workspace_id = @workspaceId AND created_at >= @cutoff ORDER BY seq LIMIT 1),
                                    (SELECT last_seq + 1 FROM event_counters WHERE workspace_id = @workspaceId))
                    """, new { workspaceId, cutoff }, cancellationToken: cancellationToken));
            }
            while (await DeleteBatchAsync(workspaceId, keepFrom, cancellationToken) > 0)
            {
            }
        }
        while (await DeleteDeliveriesAsync(cutoff * 1000, cancellationToken) > 0)
        {
        }
    }

    /// <summary>Webhook deliveries go with their events: finished ones older than the cutoff, a batch at a time.</summary>
    private async Task<int> DeleteDeliveriesAsync(long cutoffMilliseconds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            DELETE FROM webhook_deliveries WHERE id IN (
                SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND created_at < @cutoffMilliseconds LIMIT {Batch})
            """, new { cutoffMilliseconds }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private async Task<int> DeleteBatchAsync(long workspaceId, long keepFrom, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // A transaction, so that on SQLite it queues with the other writes of this process.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            DELETE FROM events WHERE workspace_id = @workspaceId AND seq < @keepFrom
              AND seq < (SELECT MIN(seq) FROM events WHERE workspace_id = @workspaceId) + {Batch}
            """, new { workspaceId, keepFrom }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning old events failed; trying again at the next interval.")]
    private partial void PruneFailed(Exception error);
}
