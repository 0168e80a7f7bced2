using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests.Faults;

public sealed class OutageUnderLoadTests(PartitionedServer server) : IClassFixture<PartitionedServer>
{
    [Fact]
    public Task ANetworkPartitionUnderLoadGetsOnly503sIsLoggedOnceAndServingResumes() =>
        OutageUnderLoad.RunAsync(server, () => Task.Run(server.Partition.Cut), () => Task.Run(server.Partition.Restore));
}

public sealed class RestartUnderLoadTests(FaultServer<OwnClusterPostgresStore> server) : IClassFixture<FaultServer<OwnClusterPostgresStore>>
{
    [Fact]
    public Task PostgresStoppedAndStartedUnderLoadGetsOnly503sIsLoggedOnceAndServingResumes() =>
        OutageUnderLoad.RunAsync(server, () => server.Store.Cluster.StopAsync(), () => server.Store.Cluster.StartAsync());
}

/// <summary>PostgreSQL gone and back under a mix of reads and writes: documented 503s only, recovery without a restart of CallLog, and a log that stays readable.</summary>
public static partial class OutageUnderLoad
{
    private sealed record Answer(DateTime At, HttpStatusCode Status, string Body, TimeSpan? RetryAfter);

    [GeneratedRegex(@"^\s+at ", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    public static async Task RunAsync<TStore>(FaultServer<TStore> server, Func<Task> breakStore, Func<Task> mendStore) where TStore : TestStore, new()
    {
        var client = server.Client;
        var answers = new ConcurrentQueue<Answer>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var load = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = TestCall.NewId();
                using var request = i % 2 == 0
                    ? server.Request(HttpMethod.Get, "/api/v1/calls?limit=5")
                    : server.Request(HttpMethod.Put, $"/api/v1/calls/{id}", TestCall.WriteBody(id));
                try
                {
                    using var response = await client.SendAsync(request, stop.Token);
                    answers.Enqueue(new Answer(DateTime.UtcNow, response.StatusCode, await response.Content.ReadAsStringAsync(stop.Token), response.Headers.RetryAfter?.Delta));
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                if (answers.Last().Status == HttpStatusCode.ServiceUnavailable)
                {
                    await Task.Delay(20, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        await breakStore();
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        await mendStore();
        var restored = DateTime.UtcNow;
        // Served again within a few seconds of the store's return, by the same process.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline && !answers.Any(a => a.At > restored.AddSeconds(1) && a.Status == HttpStatusCode.OK))
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var all = answers.ToList();
        var unavailable = all.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.True(unavailable.Count >= 10, $"only {unavailable.Count} requests met the outage");
        Assert.All(all, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"{(int)a.Status} {a.Body}"));
        Assert.All(unavailable, a =>
        {
            Assert.Contains("\"server_busy\"", a.Body, StringComparison.Ordinal);
            Assert.NotNull(a.RetryAfter);
        });
        var last = all.Where(a => a.At > restored.AddSeconds(2)).ToList();
        Assert.NotEmpty(last);
        Assert.All(last, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.Created, $"after the store returned: {(int)a.Status} {a.Body}"));

        // The log: the outage's start (with one stack trace), a count while it lasts, its end; not a trace per 503.
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        var log = server.Log;
        var starts = Regex.Count(log, "The store is unavailable:");
        Assert.InRange(starts, 1, 3);
        Assert.Contains("The store is still unavailable:", log, StringComparison.Ordinal);
        Assert.Contains("The store answers again after", log, StringComparison.Ordinal);
        var traces = log.Split('\n').Count(line => line.StartsWith("Npgsql.", StringComparison.Ordinal) || line.StartsWith("System.", StringComparison.Ordinal));
        Assert.True(traces <= starts, $"{traces} exceptions logged for {unavailable.Count} 503s and {starts} outages");
        Assert.True(StackFrame().Count(log) < 100 * starts, "the log holds more stack frames than the outages' first exceptions");

        // Every 503 is still counted in /metrics.
        var counted = await server.CounterAsync("http_server_request_duration_seconds_count", "http_response_status_code=\"503\"");
        Assert.True(counted >= unavailable.Count, $"/metrics counted {counted} 503s, the clients saw {unavailable.Count}");
    }
}
