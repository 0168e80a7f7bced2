using System.Net;
using System.Net.Sockets;

namespace CallLog.Tests.Infrastructure;

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
