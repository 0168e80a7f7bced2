using System.Net;
using System.Net.Sockets;

namespace CallLog.Webhooks;

/// <summary>
/// The addresses a webhook may not reach unless <c>Webhooks:AllowPrivateNetworks</c> is set: this host,
/// private and shared ranges, link-local (cloud metadata services live there), multicast, and the
/// unspecified and reserved ones. Checked when an endpoint is saved and again at every connection.
/// </summary>
internal static class PrivateNetworks
{
    private static readonly (IPAddress Network, int Bits)[] V4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8),        // "this network"
        (IPAddress.Parse("10.0.0.0"), 8),       // private
        (IPAddress.Parse("100.64.0.0"), 10),    // shared (carrier-grade NAT)
        (IPAddress.Parse("127.0.0.0"), 8),      // loopback
        (IPAddress.Parse("169.254.0.0"), 16),   // link-local, cloud metadata
        (IPAddress.Parse("172.16.0.0"), 12),    // private
        (IPAddress.Parse("192.0.0.0"), 24),     // protocol assignments
        (IPAddress.Parse("192.168.0.0"), 16),   // private
        (IPAddress.Parse("198.18.0.0"), 15),    // benchmarking
        (IPAddress.Parse("224.0.0.0"), 4),      // multicast
        (IPAddress.Parse("240.0.0.0"), 4),      // reserved, broadcast
    ];

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return V4.Any(range => InRange(address, range.Network, range.Bits));
        }
        return IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
            || address.IsIPv6UniqueLocal || address.IsIPv6Multicast || address.IsIPv6Teredo
            || address.Equals(IPAddress.IPv6Any);
    }

    private static bool InRange(IPAddress address, IPAddress network, int bits)
    {
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var value = (uint)((a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3]);
        var start = (uint)((n[0] << 24) | (n[1] << 16) | (n[2] << 8) | n[3]);
        var mask = uint.MaxValue << (32 - bits);
        return (value & mask) == (start & mask);
    }

    /// <summary>The host's addresses, or why the webhook may not reach it; a literal address is its own.</summary>
    public static async Task<(IPAddress[] Addresses, string? Refusal)> ResolveAsync(string host, bool allowPrivate, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException ex)
        {
            return ([], $"the host '{host}' does not resolve ({ex.SocketErrorCode})");
        }
        if (addresses.Length == 0)
        {
            return ([], $"the host '{host}' does not resolve");
        }
        if (!allowPrivate && addresses.FirstOrDefault(IsPrivate) is { } blocked)
        {
            return ([], $"the host '{host}' resolves to {blocked}, a loopback, private, link-local or multicast address; " +
                "webhooks may not reach those unless Webhooks:AllowPrivateNetworks is true");
        }
        return (addresses, null);
    }
}
