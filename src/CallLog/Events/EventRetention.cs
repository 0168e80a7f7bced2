using System.Data.Common;
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
/// Deletes events older than <see cref="EventOptions.RetentionDays"/>, in the background, in batches of a
/// few thousand so that no one transaction holds the store for long. Every node prunes; they delete the
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
                var cutoff = time.GetUtcNow().AddDays(-options.Value.RetentionDays).ToUnixTimeSeconds();
                while (await PruneBatchAsync(cutoff, stoppingToken) == Batch)
                {
                }
            }
            catch (DbException ex)
            {
                PruneFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<int> PruneBatchAsync(long cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // A transaction, so that on SQLite it queues with the other writes of this process.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM events WHERE (workspace_id, seq) IN (SELECT workspace_id, seq FROM events WHERE created_at < @cutoff LIMIT {Batch})",
            new { cutoff }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning old events failed; trying again at the next interval.")]
    private partial void PruneFailed(Exception error);
}
