using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace CallLog.Hosting;

/// <summary>
/// Metrics in Prometheus form at <c>/metrics</c>, through OpenTelemetry: the framework's request
/// durations (by route and status), and CallLog's own store query durations, SQLite statement compiles,
/// deep pages that reused a remembered start, and rejected keys.
/// </summary>
internal static class Telemetry
{
    public const string MeterName = "CallLog";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> StoreDuration = Meter.CreateHistogram<double>(
        "calllog.store.query.duration", unit: "s", description: "Time spent in one store operation, by operation.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    private static readonly Counter<long> KeysRejected = Meter.CreateCounter<long>(
        "calllog.keys.rejected", description: "Requests refused at authentication, by reason.");

    private static readonly Counter<long> StatementsCompiled = Meter.CreateCounter<long>(
        "calllog.store.statements.compiled", description: "SQL statements the store had SQLite compile (SQLite's own recompiles of a kept statement are not counted); flat once each session has seen each request shape.");

    private static readonly Counter<long> PageStarts = Meter.CreateCounter<long>(
        "calllog.pages.starts", description: "Pages by number past the first, by whether a remembered start still held (hit) or the page counted its way in (miss).");

    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", MeterName)
            .AddPrometheusExporter());
        return services;
    }

    public static IEndpointRouteBuilder MapTelemetry(this IEndpointRouteBuilder routes)
    {
        routes.MapPrometheusScrapingEndpoint("/metrics");
        return routes;
    }

    /// <summary>Times one store operation: <c>using var _ = Telemetry.Store("calls.list");</c></summary>
    public static StoreTimer Store(string operation) => new(operation, Stopwatch.GetTimestamp());

    /// <summary>Counts a key refused at authentication: missing, malformed, unknown, revoked, expired, ambiguous.</summary>
    public static void KeyRejected(string reason) => KeysRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts a statement a SQLite session compiled instead of reusing.</summary>
    public static void StatementCompiled() => StatementsCompiled.Add(1);

    /// <summary>Counts a page further in that read on from a remembered start (hit) or skipped its offset (miss).</summary>
    public static void PageStart(bool hit) => PageStarts.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    internal readonly struct StoreTimer(string operation, long started) : IDisposable
    {
        public void Dispose() => StoreDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("operation", operation));
    }
}
