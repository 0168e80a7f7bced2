using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// A server with JSON logs, a small default rate limit (5 a minute) and keys of each budget, behind a
/// "reverse proxy" at 127.0.0.1 (where the tests connect from), whose X-Forwarded-* headers it believes.
/// </summary>
public sealed class OperationsServer<TStore> : CallLogServer<TStore> where TStore : TestStore, new()
{
    /// <summary>No rate limit: for every test that is not about rate limits.</summary>
    public string Unlimited { get; private set; } = "";
    public string ServerDefault { get; private set; } = "";
    public string ThreeAMinute { get; private set; } = "";
    public string ThreeAMinuteToo { get; private set; } = "";

    protected override IDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["Logging__Console__FormatterName"] = "json",
        ["RateLimits__PerMinute"] = "5",
        ["ForwardedHeaders__KnownProxies"] = "127.0.0.1",
    };

    protected override async Task SeedAsync()
    {
        Unlimited = (await Store.CreateKeyAsync("can_read_calls", "ops", "--rate-limit", "0")).Secret;
        ServerDefault = (await Store.CreateKeyAsync("can_read_calls", "ops")).Secret;
        ThreeAMinute = (await Store.CreateKeyAsync("can_read_calls", "ops", "--rate-limit", "3")).Secret;
        ThreeAMinuteToo = (await Store.CreateKeyAsync("can_read_calls", "ops", "--rate-limit", "3")).Secret;
    }
}
