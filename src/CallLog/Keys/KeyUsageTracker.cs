using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace CallLog.Keys;

internal sealed class KeyUsageOptions
{
    /// <summary>How often last-use times gathered in memory are written to the store.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Tracks <c>last_used_at</c> without a write per request: requests record into memory, and one batched
/// UPDATE per interval (and one at shutdown) writes the newest time per key.
/// </summary>
internal sealed class KeyUsageTracker(KeyStore keys, IOptions<KeyUsageOptions> options, ILogger<KeyUsageTracker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, long> _pending = new(StringComparer.Ordinal);

    public void Record(string keyId, DateTimeOffset usedAt) =>
        _pending.AddOrUpdate(keyId, usedAt.ToUnixTimeSeconds(), (_, previous) => Math.Max(previous, usedAt.ToUnixTimeSeconds()));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: StopAsync flushes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        // Take each entry only if it is unchanged: a use recorded meanwhile stays for the next flush.
        var batch = new List<(string Id, long UsedAt)>();
        foreach (var entry in _pending)
        {
            if (_pending.TryRemove(entry))
            {
                batch.Add((entry.Key, entry.Value));
            }
        }
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            await keys.RecordUseAsync(batch, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Last-use times are advisory; a store hiccup must not take the service down. Try again next tick.
            foreach (var (id, usedAt) in batch)
            {
                Record(id, DateTimeOffset.FromUnixTimeSeconds(usedAt));
            }
            logger.LogWarning(ex, "Could not record API key last-use times; will retry");
        }
    }
}
