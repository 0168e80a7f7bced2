using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

[assembly: AssemblyFixture(typeof(CallLog.Tests.Infrastructure.PostgresCluster))]

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the whole test run: initdb into a temp directory, a loopback
/// port, stopped and deleted at the end. As root, the server runs as the postgres user (initdb refuses
/// root). Where the server binaries are absent, every PostgreSQL test reports itself skipped, with why.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private static PostgresCluster? _current;
    private string? _directory;
    private string? _binaries;
    private string? _asUser;

    public static PostgresCluster Current => _current ?? throw new InvalidOperationException("The PostgreSQL assembly fixture did not start.");

    /// <summary>Why PostgreSQL tests cannot run here, or null when they can.</summary>
    public string? Unavailable { get; private set; }

    public int Port { get; private set; }

    public async ValueTask InitializeAsync()
    {
        _current = this;
        await CreateAsync();
    }

    /// <summary>A cluster of a test's own, which it may stop and start: the shared one stays up for every other test.</summary>
    public static async Task<PostgresCluster> CreateOwnAsync()
    {
        var cluster = new PostgresCluster();
        await cluster.CreateAsync();
        return cluster;
    }

    private string Data => Path.Combine(_directory!, "data");

    private async Task CreateAsync()
    {
        _binaries = FindBinaries();
        if (_binaries is null)
        {
            Unavailable = "PostgreSQL server binaries were not found (looked for /usr/lib/postgresql/*/bin/initdb and CALLLOG_PG_BIN); install the postgresql package to run these tests.";
            return;
        }
        _directory = Directory.CreateTempSubdirectory("calllog-pg-").FullName;
        _asUser = Environment.UserName == "root" ? "postgres" : null;
        if (_asUser is not null)
        {
            await RunAsync("chown", "-R", $"{_asUser}:", _directory);
        }
        Port = FreePort();
        await RunAsync(Tool("initdb"), "-D", Data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync");
        await StartAsync();
    }

    public async Task StartAsync() =>
        // Durability settings off: this cluster lives for one test run and is deleted after.
        await RunAsync(Tool("pg_ctl"), "-D", Data, "-l", Path.Combine(_directory!, "server.log"), "-w", "-t", "60", "-o",
            $"-p {Port} -c listen_addresses=127.0.0.1 -k {_directory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
            "start");

    /// <summary>Stops the server as an operator's restart does (fast: sessions are ended, in-flight transactions roll back).</summary>
    public async Task StopAsync() => await RunAsync(Tool("pg_ctl"), "-D", Data, "-m", "fast", "-w", "stop");

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    /// <summary>A new empty database, as a URL for --db.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"calllog_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return $"postgres://postgres@127.0.0.1:{Port}/{name}";
    }

    public async ValueTask DisposeAsync()
    {
        if (_directory is null)
        {
            return;
        }
        try
        {
            await RunAsync(Tool("pg_ctl"), "-D", Data, "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("CALLLOG_PG_BIN") is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "initdb")) ? configured : null;
        }
        if (!Directory.Exists("/usr/lib/postgresql"))
        {
            return null;
        }
        return Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    private string Tool(string name) => Path.Combine(_binaries!, name);

    private async Task RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program == "chown" || _asUser is null ? program : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (program != "chown" && _asUser is not null)
        {
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(_asUser);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(program);
        }
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}):\n{await output}\n{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
