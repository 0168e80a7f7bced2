using System.Collections.Concurrent;
using CallLog.Events;
using Microsoft.Extensions.Options;

namespace CallLog.Webhooks;

/// <summary>
/// Every node's delivery loop. Each pass, one transaction, records what the attempts that finished since
/// the last pass got, fans new events out and claims what is due; each claimed attempt is then sent on a
/// task of its own. A pass runs when woken (a write of this node committed, an attempt finished) or every
/// <c>Webhooks:PollInterval</c> (other nodes' writes, retries coming due). A pass that fails keeps its
/// finished attempts for the next one; nothing is lost, as the queue lives in the store.
/// </summary>
internal sealed partial class WebhookDispatcher(
    DeliveryQueue queue, WebhookSender sender, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan QueueReadInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long a pass waits for the rest of a batch of sends once the first has finished.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(2);

    private int _sending;

    private int _failedPasses;

    private readonly ConcurrentQueue<(Attempt, AttemptResult)> _finished = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queueRead = DateTimeOffset.MinValue;
        List<(Attempt, AttemptResult)> finished = [];
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (_finished.TryDequeue(out var done))
                {
                    finished.Add(done);
                }
                var (claimed, outcomes) = await queue.PassAsync(finished, stoppingToken);
                finished.Clear();
                foreach (var (outcome, latency) in outcomes)
                {
                    WebhookMetrics.Attempted(outcome, latency);
                }
                Interlocked.Add(ref _sending, claimed.Count);
                foreach (var attempt in claimed)
                {
                    _ = SendAsync(attempt, stoppingToken);
                }
                if (time.GetUtcNow() - queueRead > QueueReadInterval)
                {
                    queueRead = time.GetUtcNow();
                    var (pending, oldest) = await queue.PendingAsync(stoppingToken);
                    WebhookMetrics.Queue(pending, oldest is { } o ? queueRead - DateTimeOffset.FromUnixTimeMilliseconds(o) : TimeSpan.Zero);
                }
                if (_failedPasses > 0)
                {
                    PassesResumed(_failedPasses);
                    _failedPasses = 0;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One line per run of failures: a store outage fails every pass, and the requests' own log says
                // the store is out (with its exception) already.
                if (_failedPasses++ == 0)
                {
                    if (ex is System.Data.Common.DbException)
                    {
                        StoreFailed(ex.GetType().Name, ex.Message);
                    }
                    else
                    {
                        PassFailed(ex);
                    }
                }
            }
            try
            {
                await EventSignal.WaitAsync(options.Value.PollInterval, stoppingToken);
                // The sends a pass started finish within moments of each other: waiting for the rest records them
                // all at one commit, instead of one pass (and its round trips) for each.
                var settling = System.Diagnostics.Stopwatch.StartNew();
                while (!_finished.IsEmpty && Volatile.Read(ref _sending) > 0 && settling.Elapsed < Settle)
                {
                    await EventSignal.WaitAsync(Settle - settling.Elapsed, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SendAsync(Attempt attempt, CancellationToken stoppingToken)
    {
        try
        {
            var result = await sender.SendAsync(attempt, stoppingToken);
            _finished.Enqueue((attempt, result));
            Interlocked.Decrement(ref _sending);
            EventSignal.Pulse();
            return;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and the delivery is sent again, by this node or another.
        }
        catch (Exception ex)
        {
            AttemptFailed(ex, attempt.DeliveryId);
        }
        Interlocked.Decrement(ref _sending);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook delivery pass failed; trying again at the next one.")]
    private partial void PassFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook deliveries wait for the store ({Error}: {Message}); trying again at every poll.")]
    private partial void StoreFailed(string error, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook deliveries resume after {Passes} failed passes.")]
    private partial void PassesResumed(int passes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook attempt failed unexpectedly (delivery {DeliveryId}); its lease runs out and it is sent again.")]
    private partial void AttemptFailed(Exception error, long deliveryId);
}
