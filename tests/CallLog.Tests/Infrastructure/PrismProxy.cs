using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// Stoplight Prism in proxy mode in front of a real server: it checks every request against
/// docs/openapi.json before forwarding it (refusing what the document says is invalid with a 422 problem)
/// and every response after (a <c>sl-violations</c> header names what the document does not allow).
/// Installed from npm once into <c>.tools/</c> of the repository; skipped, saying why, where npm is missing.
/// </summary>
public sealed class PrismProxy : IAsyncDisposable
{
    public const string Version = "5.16.0";

    private static readonly SemaphoreSlim Installing = new(1, 1);
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private PrismProxy(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

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

    /// <summary>Starts a proxy to <paramref name="upstream"/> that answers with errors for violations (<c>--errors</c>).</summary>
    public static async Task<PrismProxy> StartAsync(Uri upstream)
    {
        var prism = await InstalledAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var info = new ProcessStartInfo(prism)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "proxy", Path.Combine(Repository.Root, "docs", "openapi.json"), upstream.ToString().TrimEnd('/'), "--errors", "--host", "127.0.0.1", "--port", $"{port}" })
        {
            info.ArgumentList.Add(arg);
        }
        var proxy = new PrismProxy(Process.Start(info)!, new Uri($"http://127.0.0.1:{port}"));
        proxy._process.OutputDataReceived += (_, e) => proxy.Append(e.Data);
        proxy._process.ErrorDataReceived += (_, e) => proxy.Append(e.Data);
        proxy._process.BeginOutputReadLine();
        proxy._process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!proxy.Log.Contains("Prism is listening", StringComparison.Ordinal))
        {
            if (proxy._process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"prism proxy did not start:\n{proxy.Log}");
            }
            await Task.Delay(100);
        }
        return proxy;
    }

    /// <summary>The prism executable, installed with npm into the repository's .tools/ the first time.</summary>
    private static async Task<string> InstalledAsync()
    {
        var prefix = Path.Combine(Repository.Root, ".tools", $"prism-{Version}");
        var prism = Path.Combine(prefix, "node_modules", ".bin", "prism");
        await Installing.WaitAsync();
        try
        {
            if (File.Exists(prism))
            {
                return prism;
            }
            var npm = new ProcessStartInfo("npm") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "install", "--prefix", prefix, "--no-audit", "--no-fund", "--silent", $"@stoplight/prism-cli@{Version}" })
            {
                npm.ArgumentList.Add(arg);
            }
            Process process;
            try
            {
                process = Process.Start(npm)!;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                Assert.Skip("npm is not installed here: the Prism proxy cannot be installed (apt: nodejs npm).");
                throw;
            }
            using (process)
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var errors = process.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
                await process.WaitForExitAsync(timeout.Token);
                if (process.ExitCode != 0 || !File.Exists(prism))
                {
                    throw new InvalidOperationException($"npm install of @stoplight/prism-cli@{Version} failed ({process.ExitCode}):\n{await output}\n{await errors}");
                }
            }
            return prism;
        }
        finally
        {
            Installing.Release();
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
