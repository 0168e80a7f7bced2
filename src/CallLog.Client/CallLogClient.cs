using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace CallLog.Client;

/// <summary>
/// The CallLog API from .NET. Create one with <see cref="Create"/>, or register it with
/// <see cref="CallLogResilience.AddCallLogClient"/>. Every refused request throws <see cref="CallLogException"/>.
/// </summary>
/// <param name="http">An HttpClient whose base address is the server and which sends the key (see <see cref="Configure"/>).</param>
public sealed class CallLogClient(HttpClient http)
{
    private static readonly MediaTypeHeaderValue MergePatch = new("application/merge-patch+json");

    /// <summary>A client of its own with the retry pipeline; dispose nothing, keep it for the application's life.</summary>
    public static CallLogClient Create(Uri baseAddress, string apiKey, CallLogClientOptions? options = null)
    {
        var pipeline = CallLogResilience.Configure(new ResiliencePipelineBuilder<HttpResponseMessage>(), options ?? new CallLogClientOptions()).Build();
        var handler = new ResilienceHandler(pipeline) { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } };
        var client = new HttpClient(handler);
        Configure(client, baseAddress, apiKey);
        return new CallLogClient(client);
    }

    /// <summary>Points an HttpClient at a server and makes it send the key as <c>Authorization: Bearer</c>.</summary>
    public static void Configure(HttpClient http, Uri baseAddress, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.BaseAddress = baseAddress;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    /// <summary>One page of calls (needs can_read_calls).</summary>
    public Task<CallPage> ListCallsAsync(CallListOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/calls" + Query(options ?? new CallListOptions()), null, null, ClientJson.Default.CallPage, cancellationToken);

    /// <summary>Every call matching the filters, newest first, read page by page through the cursor (100 a page unless a limit is given).</summary>
    public async IAsyncEnumerable<Call> ListAllCallsAsync(CallListOptions? filters = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var options = (filters ?? new CallListOptions()) with { Page = null, Cursor = null };
        options = options with { Limit = options.Limit ?? 100 };
        while (true)
        {
            var page = await ListCallsAsync(options, cancellationToken).ConfigureAwait(false);
            foreach (var call in page.Calls)
            {
                yield return call;
            }
            if (page.NextCursor is null)
            {
                yield break;
            }
            options = options with { Cursor = page.NextCursor };
        }
    }

    /// <summary>One call in full, with its ETag (needs can_read_calls).</summary>
    public Task<CallDetail> GetCallAsync(string id, CancellationToken cancellationToken = default) =>
        SendCallAsync(HttpMethod.Get, id, null, null, cancellationToken);

    /// <summary>Creates or replaces a call (needs can_write_calls); with <paramref name="ifMatch"/>, only if it is still that version.</summary>
    public Task<CallDetail> PutCallAsync(CallDetail call, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        // A placed call's variables are set when it is placed and never written after: the body leaves them out.
        var body = JsonSerializer.SerializeToNode(call, ClientJson.Default.CallDetail)!.AsObject();
        body.Remove("variables");
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return SendCallAsync(HttpMethod.Put, call.Id, content, ifMatch, cancellationToken);
    }

    /// <summary>
    /// Changes part of a call with a JSON Merge Patch (needs can_write_calls): the fields to change, null
    /// to remove. E.g. <c>new JsonObject { ["status"] = "completed", ["ended_at"] = "2025-04-23T14:35:12Z" }</c>.
    /// </summary>
    public Task<CallDetail> PatchCallAsync(string id, JsonObject patch, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var content = new StringContent(patch.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = MergePatch;
        return SendCallAsync(HttpMethod.Patch, id, content, ifMatch, cancellationToken);
    }

    /// <summary>Deletes a call (needs can_write_calls).</summary>
    public async Task DeleteCallAsync(string id, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendRawAsync(HttpMethod.Delete, CallPath(id), null, ifMatch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The workspace's agents with their call counts (needs can_read_agents).</summary>
    public Task<AgentPage> ListAgentsAsync(int? page = null, int? limit = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/agents" + Query(("page", Number(page)), ("limit", Number(limit))), null, null, ClientJson.Default.AgentPage, cancellationToken);

    /// <summary>Names (or renames) an agent (needs can_write_calls).</summary>
    public Task<Agent> PutAgentAsync(string id, string? name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"api/v1/agents/{Uri.EscapeDataString(id)}",
            new StringContent(new JsonObject { ["name"] = name }.ToJsonString(), Encoding.UTF8, "application/json"), null, ClientJson.Default.Agent, cancellationToken);

    /// <summary>Contacts, optionally searched by name, email, company or phone (needs can_read_contacts).</summary>
    public Task<ContactPage> ListContactsAsync(string? search = null, int? page = null, int? limit = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/contacts" + Query(("search", search), ("page", Number(page)), ("limit", Number(limit))), null, null, ClientJson.Default.ContactPage, cancellationToken);

    /// <summary>One contact (needs can_read_contacts).</summary>
    public Task<ContactRecord> GetContactAsync(long id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"api/v1/contacts/{id}", null, null, ClientJson.Default.ContactRecord, cancellationToken);

    /// <summary>Creates or replaces a contact (needs can_write_contacts).</summary>
    public Task<ContactRecord> PutContactAsync(ContactRecord contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        return SendAsync(HttpMethod.Put, $"api/v1/contacts/{contact.Id}", JsonContent.Create(contact, ClientJson.Default.ContactRecord), null, ClientJson.Default.ContactRecord, cancellationToken);
    }

    private static string CallPath(string id) => $"api/v1/calls/{Uri.EscapeDataString(id)}";

    private async Task<CallDetail> SendCallAsync(HttpMethod method, string id, HttpContent? content, string? ifMatch, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, CallPath(id), content, ifMatch, cancellationToken).ConfigureAwait(false);
        var call = await response.Content.ReadFromJsonAsync(ClientJson.Default.CallDetail, cancellationToken).ConfigureAwait(false);
        return call! with { ETag = response.Headers.ETag?.ToString() };
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, string? ifMatch, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, content, ifMatch, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? content, string? ifMatch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<CallLogException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ErrorBody? body = null;
        try
        {
            body = await response.Content.ReadFromJsonAsync(ClientJson.Default.ErrorBody, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            // Not the API's error body (a proxy in between, say): the status still says what happened.
        }
        var requestId = body?.RequestId ?? (response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null);
        return new CallLogException(response.StatusCode, body?.Error ?? $"http_{(int)response.StatusCode}",
            body?.Message ?? response.ReasonPhrase ?? "The request failed.", requestId, response.Headers.RetryAfter?.Delta);
    }

    private static string Query(CallListOptions o) => Query(
        ("agent_id", o.AgentId),
        ("status", o.Status switch { CallStatus.Completed => "completed", CallStatus.Failed => "failed", CallStatus.InProgress => "in-progress", _ => null }),
        ("type", o.Type switch { CallType.Inbound => "inbound", CallType.Outbound => "outbound", _ => null }),
        ("page", Number(o.Page)),
        ("limit", Number(o.Limit)),
        ("cursor", o.Cursor));

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }
}
