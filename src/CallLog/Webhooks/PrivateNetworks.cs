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
    private static readonly IPNetwork[] V4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),        // "this network"
        IPNetwork.Parse("10.0.0.0/8"),       // private
        IPNetwork.Parse("100.64.0.0/10"),    // shared (carrier-grade NAT)
        IPNetwork.Parse("127.0.0.0/8"),      // loopback
        IPNetwork.Parse("169.254.0.0/16"),   // link-local, cloud metadata
        IPNetwork.Parse("172.16.0.0/12"),    // private
        IPNetwork.Parse("192.0.0.0/24"),     // protocol assignments
        IPNetwork.Parse("192.168.0.0/16"),   // private
        IPNetwork.Parse("198.18.0.0/15"),    // benchmarking
        IPNetwork.Parse("224.0.0.0/4"),      // multicast
        IPNetwork.Parse("240.0.0.0/4"),      // reserved, broadcast
    ];

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return V4.Any(network => network.Contains(address));
        }
        return IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
            || address.IsIPv6UniqueLocal || address.IsIPv6Multicast || address.IsIPv6Teredo
            || address.Equals(IPAddress.IPv6Any);
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
