using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace CallLog.Hosting;

/// <summary>The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed.</summary>
internal sealed class ProxyOptions
{
    /// <summary>Comma-separated addresses (<c>10.0.0.5</c>) or networks (<c>10.0.0.0/8</c>); empty believes no one.</summary>
    public string KnownProxies { get; set; } = "";

    public IEnumerable<string> Entries => KnownProxies.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static bool IsEntry(string entry) => IPAddress.TryParse(entry, out _) || System.Net.IPNetwork.TryParse(entry, out _);
}

/// <summary>
/// TLS ends at a reverse proxy, which tells CallLog the client's address and scheme in X-Forwarded-*
/// headers. A client can send those headers too, so they count only from the proxies configured in
/// <c>ForwardedHeaders:KnownProxies</c>; by default from none (not even loopback, which the framework
/// would otherwise trust).
/// </summary>
internal static class ProxyHeaders
{
    public static IServiceCollection AddProxyHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>().Bind(configuration.GetSection("ForwardedHeaders"))
            .Validate(o => o.Entries.All(ProxyOptions.IsEntry),
                "ForwardedHeaders:KnownProxies must be IP addresses or networks (10.0.0.5, 10.0.0.0/8), separated by commas.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
        {
            // The middleware believes every sender when both of its lists are empty: with no proxy configured it reads no header at all.
            forwarded.ForwardedHeaders = proxies.Value.Entries.Any()
                ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                : ForwardedHeaders.None;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var entry in proxies.Value.Entries)
            {
                if (IPAddress.TryParse(entry, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
                else if (System.Net.IPNetwork.TryParse(entry, out var network))
                {
                    forwarded.KnownIPNetworks.Add(network);
                }
            }
        });
        return services;
    }
}
