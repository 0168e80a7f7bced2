using System.Net;
using System.Net.Sockets;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>A node whose way to PostgreSQL runs through a forwarder the test can cut: a partition, or a restart, on demand.</summary>
public sealed class PartitionedServer : CallLogServer<PostgresStore>
{
    public Partition Partition { get; } = new();

    public string Key { get; private set; } = "";

    protected override string ServeDb
    {
        get
        {
            var port = new Uri(Store.Db).Port;
            Partition.Target = port;
            return Store.Db.Replace($":{port}/", $":{Partition.Port}/", StringComparison.Ordinal);
        }
    }

    protected override async Task SeedAsync() => Key = (await Store.CreateKeyAsync("can_read_calls", "default")).Secret;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Partition.Dispose();
    }
}

/// <summary>
/// A loopback TCP forwarder to a port. <see cref="Cut"/> closes every connection through it and refuses new
/// ones, as an unreachable or restarting server does; <see cref="Restore"/> listens again on the same port.
/// </summary>
public sealed class Partition : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;

    public Partition()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Listen(listener);
    }

    public int Port { get; }

    public int Target { get; set; }

    public void Cut()
    {
        lock (_gate)
        {
            _listener?.Stop();
            _listener = null;
            _open.ForEach(connection => connection.Dispose());
            _open.Clear();
        }
    }

    public void Restore()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Listen(listener);
    }

    public void Dispose() => Cut();

    private void Listen(TcpListener listener)
    {
        lock (_gate)
        {
            _listener = listener;
        }
        _ = Task.Run(async () =>
        {
            while (await AcceptAsync(listener) is { } inbound)
            {
                var outbound = new TcpClient();
                try
                {
                    await outbound.ConnectAsync(IPAddress.Loopback, Target);
                }
                catch (SocketException)
                {
                    inbound.Dispose();
                    outbound.Dispose();
                    continue;
                }
                lock (_gate)
                {
                    _open.Add(inbound);
                    _open.Add(outbound);
                }
                _ = PumpAsync(inbound, outbound);
                _ = PumpAsync(outbound, inbound);
            }
        });
    }

    private static async Task<TcpClient?> AcceptAsync(TcpListener listener)
    {
        try
        {
            return await listener.AcceptTcpClientAsync();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return null; // cut
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // cut, or the other side closed
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}

public sealed class StoreOutageTests(PartitionedServer server) : IClassFixture<PartitionedServer>
{
    [Fact]
    public async Task WhilePostgresIsUnreachableRequestsGet503WithRetryAfterAndServingResumesAfter()
    {
        using (var before = await server.Client.GetAsync("/api/v1/calls", server.Key))
        {
            await before.JsonAsync(HttpStatusCode.OK);
        }

        server.Partition.Cut();
        try
        {
            using var during = await server.Client.GetAsync("/api/v1/calls", server.Key);
            Assert.Contains("cannot be reached", await during.ErrorAsync(HttpStatusCode.ServiceUnavailable, "server_busy"), StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(5), during.Headers.RetryAfter?.Delta);
            using var ready = await server.Client.GetAsync("/readyz", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }
        finally
        {
            server.Partition.Restore();
        }

        // A client that honours Retry-After gets through once the store is back (a pooled connection broken by
        // the cut may fail one more request).
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 10 && statuses.LastOrDefault() != HttpStatusCode.OK; attempt++)
        {
            using var after = await server.Client.GetAsync("/api/v1/calls", server.Key);
            statuses.Add(after.StatusCode);
            if (after.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }
        Assert.Equal(HttpStatusCode.OK, statuses.Last());
    }
}
