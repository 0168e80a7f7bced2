using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// A server for the write API: workspace "runtime" with a key per permission the tests need, and a
/// workspace "someone-else" whose key may do everything (to prove it still sees nothing of "runtime").
/// </summary>
public sealed class WritableServer<TStore> : CallLogServer<TStore> where TStore : TestStore, new()
{
    public string Writer { get; private set; } = "";
    public string Reader { get; private set; } = "";
    public string WriteOnly { get; private set; } = "";
    public string AgentsReader { get; private set; } = "";
    public string ContactsReader { get; private set; } = "";
    public string ContactsWriter { get; private set; } = "";
    public string OtherWorkspace { get; private set; } = "";
    public string WebhookManager { get; private set; } = "";

    protected override async Task SeedAsync()
    {
        Writer = (await Store.CreateKeyAsync("can_read_calls,can_write_calls", "runtime")).Secret;
        Reader = (await Store.CreateKeyAsync("can_read_calls", "runtime")).Secret;
        WriteOnly = (await Store.CreateKeyAsync("can_write_calls", "runtime")).Secret;
        AgentsReader = (await Store.CreateKeyAsync("can_read_agents", "runtime")).Secret;
        ContactsReader = (await Store.CreateKeyAsync("can_read_contacts", "runtime")).Secret;
        ContactsWriter = (await Store.CreateKeyAsync("can_read_contacts,can_write_contacts", "runtime")).Secret;
        WebhookManager = (await Store.CreateKeyAsync("can_manage_webhooks", "runtime")).Secret;
        OtherWorkspace = (await Store.CreateKeyAsync(
            "can_read_calls,can_write_calls,can_read_agents,can_read_contacts,can_write_contacts", "someone-else")).Secret;
    }

    /// <summary>One request with a Bearer key, an optional JSON body and an optional If-Match.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, string? body = null, string? ifMatch = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The list's count for a query, read with the calls reader.</summary>
    public async Task<long> CountAsync(string query = "")
    {
        using var response = await Client.GetAsync($"/api/v1/calls?limit=1&{query}", Reader);
        return (await response.JsonAsync(HttpStatusCode.OK)).GetProperty("count").GetInt64();
    }
}
