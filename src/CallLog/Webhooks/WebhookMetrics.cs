using System.Diagnostics.Metrics;
using CallLog.Hosting;

namespace CallLog.Webhooks;

/// <summary>
/// Webhook metrics in <c>/metrics</c>: attempts by outcome, attempt durations, and the queue (pending
/// deliveries, the age of the oldest) as this node last read it from the store.
/// </summary>
internal static class WebhookMetrics
{
    private static readonly Meter Meter = new(Telemetry.MeterName);

    private static readonly Counter<long> Attempts = Meter.CreateCounter<long>(
        "calllog.webhooks.attempts", description: "Delivery attempts by outcome: succeeded, retrying (failed, to be tried again), failed (given up).");

    private static readonly Histogram<double> AttemptDuration = Meter.CreateHistogram<double>(
        "calllog.webhooks.attempt.duration", unit: "s", description: "Time from sending an attempt to its answer (or failure).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15] });

    private static long _pending;
    private static double _oldestAge;

    static WebhookMetrics()
    {
        Meter.CreateObservableGauge("calllog.webhooks.queue.depth", () => Volatile.Read(ref _pending),
            description: "Deliveries waiting to be sent or retried, over every endpoint and node.");
        Meter.CreateObservableGauge("calllog.webhooks.queue.oldest_age", () => Volatile.Read(ref _oldestAge), unit: "s",
            description: "Age of the oldest pending delivery; 0 when none is pending.");
    }

    public static void Attempted(string outcome, TimeSpan duration)
    {
        Attempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome == DeliveryStatus.Pending ? "retrying" : outcome));
        AttemptDuration.Record(duration.TotalSeconds);
    }

    public static void Queue(long pending, TimeSpan oldestAge)
    {
        Volatile.Write(ref _pending, pending);
        Volatile.Write(ref _oldestAge, oldestAge.TotalSeconds);
    }
}
