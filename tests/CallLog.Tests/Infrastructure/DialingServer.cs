using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// A server for placing and dialing calls: workspace "dialing" with a key that places (and reads and
/// manages the do-not-call list), a runtime's key (claims, writes calls), a key with a budget of two calls
/// a day, and one that may only read. Its agents are created by the tests.
/// </summary>
public sealed class DialingServer<TStore> : CallLogServer<TStore> where TStore : TestStore, new()
{
    public const string Workspace = "dialing";

    public string Placer { get; private set; } = "";

    public string Runtime { get; private set; } = "";

    public string TwoADay { get; private set; } = "";

    public string ReadOnly { get; private set; } = "";

    protected override async Task SeedAsync()
    {
        Placer = (await Store.CreateKeyAsync("can_initiate_calls,can_read_calls,can_write_calls,can_read_agents", Workspace)).Secret;
        Runtime = (await Store.CreateKeyAsync("can_dial,can_write_calls,can_read_calls", Workspace)).Secret;
        TwoADay = (await Store.CreateKeyAsync("can_initiate_calls", Workspace, "--calls-per-day", "2")).Secret;
        ReadOnly = (await Store.CreateKeyAsync("can_read_calls", Workspace)).Secret;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, string? body = null,
        string contentType = "application/json", string? idempotencyKey = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await (client ?? Client).SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<JsonElement> JsonAsync(HttpMethod method, string path, string key, HttpStatusCode expected, string? body = null, HttpClient? client = null)
    {
        using var response = await SendAsync(method, path, key, body, client: client);
        return await response.JsonAsync(expected);
    }

    /// <summary>A new agent of the workspace, with a limit of calls at once when given.</summary>
    public async Task<string> AgentAsync(int? maxConcurrentCalls = null)
    {
        var id = $"agent_{Guid.NewGuid():N}";
        var limit = maxConcurrentCalls is { } n ? $",\"max_concurrent_calls\":{n}" : "";
        await JsonAsync(HttpMethod.Put, $"/api/v1/agents/{id}", Placer, HttpStatusCode.Created, $$"""{"name":"Dialer"{{limit}}}""");
        return id;
    }

    /// <summary>Places a call to <paramref name="phone"/> for <paramref name="agent"/>; returns its id.</summary>
    public async Task<string> PlaceAsync(string agent, string? phone = null, string extra = "")
    {
        var placed = await JsonAsync(HttpMethod.Post, "/api/v1/calls", Placer, HttpStatusCode.Created,
            $$"""{"phone_number":"{{phone ?? PhoneNumbers.Fresh()}}","agent_id":"{{agent}}"{{extra}}}""");
        return placed.GetProperty("id").GetString()!;
    }

    /// <summary>Claims for <paramref name="agent"/>; returns the claimed calls' ids.</summary>
    public async Task<List<string>> ClaimAsync(string? agent, int limit = 100, int leaseSeconds = 60, string? ids = null, HttpClient? client = null)
    {
        var body = $$"""{"limit":{{limit}},"lease_seconds":{{leaseSeconds}}{{(agent is null ? "" : $",\"agent_id\":\"{agent}\"")}}{{(ids is null ? "" : $",\"ids\":{ids}")}}}""";
        var claimed = await JsonAsync(HttpMethod.Post, "/api/v1/dial-queue/claim", Runtime, HttpStatusCode.OK, body, client);
        return [.. claimed.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("call").GetProperty("id").GetString()!)];
    }

    public async Task<JsonElement> CallAsync(string id) => await JsonAsync(HttpMethod.Get, $"/api/v1/calls/{id}", Placer, HttpStatusCode.OK);

    public async Task PatchAsync(string id, string body)
    {
        using var response = await SendAsync(HttpMethod.Patch, $"/api/v1/calls/{id}", Runtime, body, "application/merge-patch+json");
        await response.JsonAsync(HttpStatusCode.OK);
    }
}
