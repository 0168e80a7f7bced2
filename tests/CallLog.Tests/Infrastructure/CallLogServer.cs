using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// A real <c>calllog serve</c> process on a loopback port over a real SQLite file, with its log captured
/// so tests can check what it printed (and what it must never print).
/// </summary>
public class CallLogServer : IAsyncLifetime
{
    private readonly StringBuilder _log = new();
    private Process? _process;

    internal TestStore Store { get; } = new();

    public HttpClient Client { get; private set; } = null!;

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

    /// <summary>Data and keys the tests of one class share, written before the server starts.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public async ValueTask InitializeAsync()
    {
        await SeedAsync();
        var port = FreePort();
        var info = CallLogProcess.StartInfo(["serve", "--db", Store.DbPath, "--urls", $"http://127.0.0.1:{port}", .. ServeOptions], Environment);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitUntilListeningAsync();
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"calllog serve exited with {_process.ExitCode}:\n{Log}");
            }
            try
            {
                using var response = await Client.GetAsync("/api/v1/calls");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"calllog serve did not start listening:\n{Log}");
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

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        Store.Dispose();
        GC.SuppressFinalize(this);
    }
}
