using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// A server whose webhooks run on a test's time: private networks allowed (the receiver is on 127.0.0.1),
/// retries 200 ms apart, a 1 s timeout (so a lease runs out in 2 s), a 50 ms poll. Keys: one that manages
/// webhooks and writes calls (without a rate limit), one that only reads calls, and one of another workspace.
/// </summary>
public class WebhookServer<TStore> : CallLogServer<TStore> where TStore : TestStore, new()
{
    public WebhookReceiver Receiver { get; } = new();

    public string Manager { get; private set; } = "";

    public string Reader { get; private set; } = "";

    public string OtherWorkspace { get; private set; } = "";

    protected virtual bool AllowPrivateNetworks => true;

    protected override IDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["Webhooks__AllowPrivateNetworks"] = AllowPrivateNetworks ? "true" : "false",
        ["Webhooks__RetrySchedule"] = "200ms,200ms,200ms",
        ["Webhooks__Timeout"] = "00:00:01",
        ["Webhooks__PollInterval"] = "00:00:00.05",
        ["Webhooks__DisableAfter"] = "1.00:00:00",
    };

    protected override async Task SeedAsync()
    {
        Manager = (await Store.CreateKeyAsync("can_read_calls,can_write_calls,can_manage_webhooks,can_read_contacts,can_write_contacts", "hooks", "--rate-limit", "0")).Secret;
        Reader = (await Store.CreateKeyAsync("can_read_calls", "hooks")).Secret;
        OtherWorkspace = (await Store.CreateKeyAsync("can_read_calls,can_write_calls,can_manage_webhooks", "hooks-elsewhere")).Secret;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string? key = null, string contentType = "application/json", HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key ?? Manager);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }
        return await (client ?? Client).SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<JsonElement> JsonAsync(HttpMethod method, string path, HttpStatusCode expected, string? body = null, string? key = null, HttpClient? client = null)
    {
        using var response = await SendAsync(method, path, body, key, client: client);
        return await response.JsonAsync(expected);
    }

    /// <summary>Creates an endpoint for <paramref name="events"/> at a fresh receiver URL; returns its id, URL and secret.</summary>
    public async Task<(string Id, string Url, string Secret)> CreateWebhookAsync(string events = "\"*\"", HttpClient? client = null)
    {
        var url = Receiver.NewUrl();
        var created = await JsonAsync(HttpMethod.Post, "/api/v1/webhooks", HttpStatusCode.Created, $$"""{"url":"{{url}}","events":[{{events}}]}""", client: client);
        return (created.GetProperty("id").GetString()!, url, created.GetProperty("secret").GetString()!);
    }

    /// <summary>Writes a call through PUT; <paramref name="status"/> in-progress, completed or failed.</summary>
    public async Task PutCallAsync(string id, string status = "in-progress", string extra = "", HttpClient? client = null)
    {
        var ended = status == "in-progress" ? "" : ",\"ended_at\":\"2025-05-01T09:05:00Z\"";
        using var response = await SendAsync(HttpMethod.Put, $"/api/v1/calls/{id}",
            $$"""{"agent_id":"assistant_hooks","status":"{{status}}","type":"outbound","phone_number":"+15550001111","started_at":"2025-05-01T09:00:00Z"{{ended}}{{extra}}}""", client: client);
        Assert.True(response.IsSuccessStatusCode, $"PUT {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }

    /// <summary>An endpoint's delivery log, newest first.</summary>
    public async Task<List<JsonElement>> DeliveriesAsync(string webhookId, string query = "limit=100") =>
        [.. (await JsonAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhookId}/deliveries?{query}", HttpStatusCode.OK)).GetProperty("deliveries").EnumerateArray()];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A webhook server that refuses private networks, as a default install does.</summary>
public sealed class StrictWebhookServer<TStore> : WebhookServer<TStore> where TStore : TestStore, new()
{
    protected override bool AllowPrivateNetworks => false;
}
