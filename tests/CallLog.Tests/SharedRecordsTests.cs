using System.Net;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>
/// An agent's name and a contact's name, email and company are shared by every call naming them: a write
/// (PUT, PATCH, an import line) that leaves one out leaves it as it is; only an explicit null clears it.
/// </summary>
public abstract class SharedRecordsTests<TStore>(WritableServer<TStore> server) where TStore : TestStore, new()
{
    private static string Call(string agentId, string extra = "") =>
        $$"""{"agent_id":"{{agentId}}","status":"completed","type":"outbound","phone_number":"+15551234567","started_at":"2025-04-23T14:30:45Z"{{extra}}}""";

    private async Task PutAsync(string id, string body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await server.SendAsync(HttpMethod.Put, $"/api/v1/calls/{id}", server.Writer, body);
        await response.JsonAsync(expected);
    }

    private async Task<JsonElement> GetAsync(string id)
    {
        using var response = await server.SendAsync(HttpMethod.Get, $"/api/v1/calls/{id}", server.Reader);
        return await response.JsonAsync(HttpStatusCode.OK);
    }

    private static string? Text(JsonElement call, string field) => call.GetProperty(field).GetString();

    private static string? ContactText(JsonElement call, string field) => call.GetProperty("contact").GetProperty(field).GetString();

    [Fact]
    public async Task ACallWriteThatLeavesOutTheAgentsOrContactsFieldsLeavesThemUnchanged()
    {
        var agent = $"agent_{Guid.NewGuid():N}";
        var contact = Random.Shared.NextInt64(1_000_000, long.MaxValue);
        await PutAsync("shared-a", Call(agent,
            $$""","agent_name":"Closer","contact":{"id":{{contact}},"name":"Ada","email":"ada@example.com","company":"Acme"}"""));

        // A second call of the same agent and contact that states neither the agent's name nor the contact's email and company.
        await PutAsync("shared-b", Call(agent, $$""","contact":{"id":{{contact}},"name":"Ada L."}"""));

        foreach (var id in new[] { "shared-a", "shared-b" })
        {
            var call = await GetAsync(id);
            Assert.Equal("Closer", Text(call, "agent_name"));
            Assert.Equal("Ada L.", ContactText(call, "name"));
            Assert.Equal("ada@example.com", ContactText(call, "email"));
            Assert.Equal("Acme", ContactText(call, "company"));
        }

        // Rewriting a call with what it already says, minus the shared fields, changes nothing: not even its version.
        using var before = await server.SendAsync(HttpMethod.Get, "/api/v1/calls/shared-b", server.Reader);
        await PutAsync("shared-b", Call(agent, $$$""","contact":{"id":{{{contact}}}}"""), HttpStatusCode.OK);
        using var after = await server.SendAsync(HttpMethod.Get, "/api/v1/calls/shared-b", server.Reader);
        Assert.Equal(before.Headers.ETag, after.Headers.ETag);

        // An explicit null clears, for every call naming them.
        await PutAsync("shared-b", Call(agent, $$""","agent_name":null,"contact":{"id":{{contact}},"email":null}"""), HttpStatusCode.OK);
        var cleared = await GetAsync("shared-a");
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("agent_name").ValueKind);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("contact").GetProperty("email").ValueKind);
        Assert.Equal("Ada L.", ContactText(cleared, "name"));
        Assert.Equal("Acme", ContactText(cleared, "company"));
    }

    [Fact]
    public async Task APatchThatMovesACallToAnotherAgentOrContactDoesNotCopyTheOldOnesFieldsOntoIt()
    {
        var (first, second) = ($"agent_{Guid.NewGuid():N}", $"agent_{Guid.NewGuid():N}");
        var (one, two) = (Random.Shared.NextInt64(1_000_000, long.MaxValue), Random.Shared.NextInt64(1_000_000, long.MaxValue));
        await PutAsync("moved-a", Call(first, $$""","agent_name":"First","contact":{"id":{{one}},"name":"One","email":"one@example.com","company":"One Inc"}"""));
        await PutAsync("moved-b", Call(second, $$""","agent_name":"Second","contact":{"id":{{two}},"name":"Two","email":"two@example.com","company":"Two Inc"}"""));

        using var patched = await server.SendAsync(HttpMethod.Patch, "/api/v1/calls/moved-a", server.Writer,
            $$$"""{"agent_id":"{{{second}}}","contact":{"id":{{{two}}}}}""", contentType: "application/merge-patch+json");
        var moved = await patched.JsonAsync(HttpStatusCode.OK);

        Assert.Equal("Second", Text(moved, "agent_name"));
        Assert.Equal("Two", ContactText(moved, "name"));
        Assert.Equal("two@example.com", ContactText(moved, "email"));
        var other = await GetAsync("moved-b");
        Assert.Equal("Second", Text(other, "agent_name"));
        Assert.Equal("Two Inc", ContactText(other, "company"));
    }

    [Fact]
    public async Task AnImportLineThatLeavesOutTheAgentsOrContactsFieldsLeavesThemUnchanged()
    {
        var workspace = $"shared-{Guid.NewGuid():N}"[..20];
        string Line(string id, string extra) =>
            $$"""{"id":"{{id}}","agent_id":"assistant_1","status":"completed","type":"inbound","phone_number":"+15550000000","started_at":"2025-06-01T10:00:00Z"{{extra}}}""";
        var first = string.Join('\n',
            Line("i1", ""","agent_name":"Scheduler","contact":{"id":7,"name":"Grace","email":"grace@example.com","company":"Navy"}"""),
            Line("i2", ""","contact":{"id":8,"name":"Linus","email":"linus@example.com","company":null}"""));
        Assert.Equal(0, (await server.Store.RunWithInputAsync(first, "import", "-", "--workspace", workspace)).ExitCode);

        // A later import, and lines within one import, that leave fields out; the last stated value wins.
        var second = string.Join('\n',
            Line("i3", ""","contact":{"id":7}"""),
            Line("i4", ""","contact":{"id":8,"company":"Kernel"}"""),
            Line("i5", ""","contact":{"id":8,"email":null}"""),
            Line("i6", ""","contact":{"id":8}"""));
        Assert.Equal(0, (await server.Store.RunWithInputAsync(second, "import", "-", "--workspace", workspace)).ExitCode);

        var export = await server.Store.RunAsync("export", "--workspace", workspace);
        var calls = export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement).ToDictionary(call => call.GetProperty("id").GetString()!);
        foreach (var id in new[] { "i1", "i3" })
        {
            Assert.Equal("Scheduler", Text(calls[id], "agent_name"));
            Assert.Equal("Grace", ContactText(calls[id], "name"));
            Assert.Equal("grace@example.com", ContactText(calls[id], "email"));
            Assert.Equal("Navy", ContactText(calls[id], "company"));
        }
        foreach (var id in new[] { "i2", "i4", "i5", "i6" })
        {
            Assert.Equal("Scheduler", Text(calls[id], "agent_name"));
            Assert.Equal("Linus", ContactText(calls[id], "name"));
            Assert.Equal(JsonValueKind.Null, calls[id].GetProperty("contact").GetProperty("email").ValueKind);
            Assert.Equal("Kernel", ContactText(calls[id], "company"));
        }
    }
}

public sealed class SharedRecordsTestsOnSqlite(WritableServer<SqliteStore> server) : SharedRecordsTests<SqliteStore>(server), IClassFixture<WritableServer<SqliteStore>>;

public sealed class SharedRecordsTestsOnPostgres(WritableServer<PostgresStore> server) : SharedRecordsTests<PostgresStore>(server), IClassFixture<WritableServer<PostgresStore>>;
