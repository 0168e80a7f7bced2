using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// A server that keeps events (and finished webhook deliveries) for about two seconds and prunes every half
/// second, with a key that reads and writes calls and manages webhooks; a webhook delivery is retried once, at once.
/// </summary>
public sealed class ShortRetentionServer<TStore> : CallLogServer<TStore> where TStore : TestStore, new()
{
    public string Key { get; private set; } = "";

    protected override IDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["Events__RetentionDays"] = "0.00002",
        ["Events__PruneInterval"] = "00:00:00.5",
        ["Webhooks__AllowPrivateNetworks"] = "true",
        ["Webhooks__RetrySchedule"] = "10ms",
    };

    protected override async Task SeedAsync() => Key = (await Store.CreateKeyAsync("can_read_calls,can_write_calls,can_manage_webhooks", "retention")).Secret;

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The first page of the feed (at most 100 events).</summary>
    public async Task<List<JsonElement>> EventsAsync()
    {
        using var response = await Client.GetAsync("/api/v1/events?limit=100", Key);
        return [.. (await response.JsonAsync(HttpStatusCode.OK)).GetProperty("events").EnumerateArray()];
    }
}
