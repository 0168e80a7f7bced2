using CallLog.Storage;
using Microsoft.Extensions.Options;

namespace CallLog.Errors;

/// <summary>How often a store outage is summed up in the log while it lasts.</summary>
internal sealed class OutageLogOptions
{
    public TimeSpan SummaryInterval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// A store outage in the log: one error when the first request gets 503 (with that exception), a count per
/// interval while it lasts, and one line when the store answers again. A line per request would write
/// stack traces at the request rate (hundreds of megabytes a minute) and bury the one line that matters;
/// every 503 is still counted in /metrics by the framework's request metrics.
/// </summary>
internal sealed partial class StoreOutages(Database database, TimeProvider time, IOptions<OutageLogOptions> options, ILogger<StoreOutages> logger) : BackgroundService
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _since;
    private long _total;
    private long _sinceSummary;

    /// <summary>One request answered 503 because of the store.</summary>
    public void Record(string reason, Exception error)
    {
        lock (_lock)
        {
            _total++;
            _sinceSummary++;
            if (_since is not null)
            {
                return;
            }
            _since = time.GetUtcNow();
        }
        Started(error, reason, options.Value.SummaryInterval.TotalSeconds);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SummaryInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (Current() is null)
            {
                continue;
            }
            // The outage ends when the store is ready again, not when requests stop failing: with no traffic, nothing would fail.
            var problem = await database.CheckReadyAsync(stoppingToken);
            lock (_lock)
            {
                var elapsed = time.GetUtcNow() - _since!.Value;
                if (problem is null)
                {
                    Ended(elapsed.TotalSeconds, _total);
                    (_since, _total) = (null, 0);
                }
                else
                {
                    Continuing(_sinceSummary, options.Value.SummaryInterval.TotalSeconds, _total, elapsed.TotalSeconds, problem);
                }
                _sinceSummary = 0;
            }
        }
    }

    private DateTimeOffset? Current()
    {
        lock (_lock)
        {
            return _since;
        }
    }

    [LoggerMessage(1, LogLevel.Error, "The store is unavailable: {Reason} Requests that need it get 503 with Retry-After; a count follows every {IntervalSeconds} s until it answers again.")]
    private partial void Started(Exception error, string reason, double intervalSeconds);

    [LoggerMessage(2, LogLevel.Warning, "The store is still unavailable: {Requests} requests got 503 in the last {IntervalSeconds} s, {Total} in {ElapsedSeconds:F0} s ({Problem}).")]
    private partial void Continuing(long requests, double intervalSeconds, long total, double elapsedSeconds, string problem);

    [LoggerMessage(3, LogLevel.Information, "The store answers again after {ElapsedSeconds:F0} s; {Total} requests got 503 meanwhile.")]
    private partial void Ended(double elapsedSeconds, long total);
}
