using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// A real <c>calllog serve</c> process on a loopback port over a real store, with its log captured so
/// tests can check what it printed (and what it must never print).
/// </summary>
public class CallLogServer<TStore> : IAsyncLifetime where TStore : TestStore, new()
{
    private readonly StringBuilder _log = new();
    private readonly List<Process> _processes = [];
    private HttpClient? _client;

    public TStore Store { get; } = new();

    /// <summary>A client for the server; on a store not available here, the test is skipped instead.</summary>
    public HttpClient Client
    {
        get
        {
            _ = Store.Db;
            return _client!;
        }
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    protected virtual IDictionary<string, string> Environment => new Dictionary<string, string>();

    protected virtual IEnumerable<string> ServeOptions => [];

    /// <summary>What serve's --db is given: the store, or the store with settings added.</summary>
    protected virtual string ServeDb => Store.Db;

    /// <summary>Data and keys the tests of one class share, written before the server starts.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public virtual async ValueTask InitializeAsync()
    {
        await Store.InitializeAsync();
        if (Store.Unavailable is not null)
        {
            return;
        }
        await SeedAsync();
        _client = await StartAsync();
    }

    /// <summary>
    /// Starts a serve process on this store; a fixture may start more than one (several nodes).
    /// <paramref name="settings"/> override the fixture's <see cref="Environment"/> for this node.
    /// </summary>
    public async Task<HttpClient> StartAsync(IDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        // A fixture's keys serve a whole class of tests, so no default budget: the budget is tested where a fixture or key sets one.
        var environment = new Dictionary<string, string> { ["RateLimits__PerMinute"] = "0" };
        foreach (var (name, value) in Environment)
        {
            environment[name] = value;
        }
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }
        var info = CallLogProcess.StartInfo(["serve", "--db", ServeDb, "--urls", $"http://127.0.0.1:{port}", .. ServeOptions], environment);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        // Every exchange of the suite is checked against docs/openapi.json as it happens.
        var client = new HttpClient(new DocumentedTraffic()) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitUntilListeningAsync(process, client);
        return client;
    }

    private async Task WaitUntilListeningAsync(Process process, HttpClient client)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"calllog serve exited with {process.ExitCode}:\n{Log}");
            }
            try
            {
                using var response = await client.GetAsync("/api/v1/calls");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"calllog serve did not start listening:\n{Log}");
    }

    /// <summary>
    /// A counter's value from <c>/metrics</c> (Prometheus text), summed over the series whose labels include
    /// <paramref name="label"/> (e.g. <c>result="hit"</c>), or over all of them; null when no series has
    /// been exported yet (a counter appears at its first count).
    /// </summary>
    public async Task<long?> CounterAsync(string name, string? label = null)
    {
        // The exporter reads the counters when scraped; a scrape within its cache window may repeat the last one.
        await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        using var scrape = await Client.GetAsync("/metrics", TestContext.Current.CancellationToken);
        var metrics = await scrape.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var values = metrics.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(line => label is null || line.Contains(label, StringComparison.Ordinal))
            .Select(line => long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        return values.Count == 0 ? null : values.Sum();
    }

    /// <summary>Kills every serve process of this fixture with SIGKILL, as a crash or the OOM killer would: nothing gets to clean up.</summary>
    public async Task KillAsync()
    {
        foreach (var process in _processes.Where(p => !p.HasExited))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public virtual async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
        await Store.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
