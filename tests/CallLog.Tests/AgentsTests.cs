using System.Net;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>GET /api/v1/agents (with call counts), GET and PUT /api/v1/agents/{id}.</summary>
public abstract class AgentsTests<TStore>(WritableServer<TStore> server) where TStore : TestStore, new()
{
    private static string NewAgentId() => $"agent_{Guid.NewGuid():N}";

    private async Task<string> PutCallAsync(string agentId, string status = "completed")
    {
        var id = TestCall.NewId();
        using var put = await server.SendAsync(HttpMethod.Put, $"/api/v1/calls/{id}", server.Writer, TestCall.WriteBody(id, status, agentId: agentId));
        await put.JsonAsync(HttpStatusCode.Created);
        return id;
    }

    private async Task<JsonElement> GetAgentAsync(string id, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await server.SendAsync(HttpMethod.Get, $"/api/v1/agents/{id}", server.AgentsReader);
        return await response.JsonAsync(expected);
    }

    private async Task<List<JsonElement>> AllAgentsAsync(string key, int limit)
    {
        var all = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            using var response = await server.Client.GetAsync($"/api/v1/agents?limit={limit}&page={page}", key);
            var body = await response.JsonAsync(HttpStatusCode.OK);
            Assert.Equal(limit, body.GetProperty("limit").GetInt32());
            Assert.Equal(page, body.GetProperty("page").GetInt32());
            var count = body.GetProperty("count").GetInt64();
            Assert.Equal((count + limit - 1) / limit, body.GetProperty("pages").GetInt64());
            var agents = body.GetProperty("agents").EnumerateArray().ToList();
            all.AddRange(agents);
            if (agents.Count < limit)
            {
                Assert.Equal(count, all.Count);
                return all;
            }
        }
    }

    [Fact]
    public async Task AgentsCountTheirCallsAndTheCountsFollowEveryWrite()
    {
        var busy = NewAgentId();
        var quiet = NewAgentId();
        var first = await PutCallAsync(busy);
        await PutCallAsync(busy, "failed");
        await PutCallAsync(busy, "in-progress");
        await PutCallAsync(quiet);

        var agent = await GetAgentAsync(busy);
        Assert.Equal(busy, agent.GetProperty("id").GetString());
        Assert.Equal("Sales Representative", agent.GetProperty("name").GetString());
        Assert.Equal(3, agent.GetProperty("call_count").GetInt64());
        Assert.Equal(1, (await GetAgentAsync(quiet)).GetProperty("call_count").GetInt64());

        using var deleted = await server.SendAsync(HttpMethod.Delete, $"/api/v1/calls/{first}", server.Writer);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(2, (await GetAgentAsync(busy)).GetProperty("call_count").GetInt64());

        // The list agrees with the agents one by one, and with the calls list's counts.
        var listed = await AllAgentsAsync(server.AgentsReader, 3);
        Assert.Equal(2, listed.Single(a => a.GetProperty("id").GetString() == busy).GetProperty("call_count").GetInt64());
        Assert.Equal(1, listed.Single(a => a.GetProperty("id").GetString() == quiet).GetProperty("call_count").GetInt64());
        Assert.Equal(await server.CountAsync(), listed.Sum(a => a.GetProperty("call_count").GetInt64()));
        Assert.Equal(2, await server.CountAsync($"agent_id={busy}"));
    }

    [Fact]
    public async Task TheListIsInIdOrderAndPagesLikeCalls()
    {
        foreach (var _ in Enumerable.Range(0, 5))
        {
            using var put = await server.SendAsync(HttpMethod.Put, $"/api/v1/agents/{NewAgentId()}", server.Writer, """{"name":"Spare"}""");
            await put.JsonAsync(HttpStatusCode.Created);
        }

        var byTwo = await AllAgentsAsync(server.AgentsReader, 2);
        var ids = byTwo.Select(a => a.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids, (await AllAgentsAsync(server.AgentsReader, 100)).Select(a => a.GetProperty("id").GetString()!));

        using var beyond = await server.Client.GetAsync("/api/v1/agents?page=1000", server.AgentsReader);
        var empty = await beyond.JsonAsync(HttpStatusCode.OK);
        Assert.Empty(empty.GetProperty("agents").EnumerateArray());
        Assert.Equal(ids.Count, empty.GetProperty("count").GetInt64());
        using var defaults = await server.Client.GetAsync("/api/v1/agents", server.AgentsReader);
        Assert.Equal(10, (await defaults.JsonAsync(HttpStatusCode.OK)).GetProperty("limit").GetInt32());
    }

    [Theory]
    [InlineData("limit=101", "limit must be an integer from 1 to 100")]
    [InlineData("page=0", "page must be an integer from 1")]
    [InlineData("agent_id=x", "Unknown query parameter 'agent_id'")]
    public async Task BadListParametersAreNamed(string query, string expected)
    {
        using var response = await server.Client.GetAsync($"/api/v1/agents?{query}", server.AgentsReader);
        Assert.Contains(expected, await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARenameShowsInEveryCallOfTheAgentAtOnce()
    {
        var agent = NewAgentId();
        var calls = new[] { await PutCallAsync(agent), await PutCallAsync(agent, "in-progress") };

        using var renamed = await server.SendAsync(HttpMethod.Put, $"/api/v1/agents/{agent}", server.Writer, """{"name":"Closer"}""");
        var body = await renamed.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Closer", body.GetProperty("name").GetString());
        Assert.Equal(2, body.GetProperty("call_count").GetInt64());

        using var list = await server.Client.GetAsync($"/api/v1/calls?agent_id={agent}", server.Reader);
        var listed = (await list.JsonAsync(HttpStatusCode.OK)).GetProperty("calls").EnumerateArray().ToList();
        Assert.Equal(2, listed.Count);
        Assert.All(listed, c => Assert.Equal("Closer", c.GetProperty("agent_name").GetString()));
        using var one = await server.SendAsync(HttpMethod.Get, $"/api/v1/calls/{calls[0]}", server.Reader);
        Assert.Equal("Closer", (await one.JsonAsync(HttpStatusCode.OK)).GetProperty("agent_name").GetString());

        using var cleared = await server.SendAsync(HttpMethod.Put, $"/api/v1/agents/{agent}", server.Writer, """{"name":null}""");
        Assert.Equal(JsonValueKind.Null, (await cleared.JsonAsync(HttpStatusCode.OK)).GetProperty("name").ValueKind);
    }

    [Fact]
    public async Task ANewAgentIsCreatedWithNoCalls()
    {
        var agent = NewAgentId();

        using var created = await server.SendAsync(HttpMethod.Put, $"/api/v1/agents/{agent}", server.Writer, """{"name":"Night shift"}""");

        var body = await created.JsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/agents/{agent}", created.Headers.Location?.OriginalString);
        Assert.Equal(0, body.GetProperty("call_count").GetInt64());
        Assert.Equal("Night shift", (await GetAgentAsync(agent)).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("""{"name":42}""", "field 'name' must be a string")]
    [InlineData("""{"name":"A","role":"sales"}""", "field 'role' is not part of an agent")]
    [InlineData("""["A"]""", "expected a JSON object")]
    [InlineData("""{"name":""", "line 1")]
    public async Task BadAgentBodiesAreNamedAndChangeNothing(string body, string expected)
    {
        var agent = NewAgentId();

        using var response = await server.SendAsync(HttpMethod.Put, $"/api/v1/agents/{agent}", server.Writer, body);

        Assert.Contains(expected, await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
        await GetAgentAsync(agent, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnAgentIdWithSurroundingSpacesAWrongContentTypeAndAnOversizedBodyAreRefused()
    {
        using var spaced = await server.SendAsync(HttpMethod.Put, "/api/v1/agents/%20agent", server.Writer, """{"name":"A"}""");
        Assert.Contains("agent id", await spaced.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
        using var text = await server.SendAsync(HttpMethod.Put, $"/api/v1/agents/{NewAgentId()}", server.Writer, """{"name":"A"}""", contentType: "text/plain");
        await text.ErrorAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        using var huge = await server.SendAsync(HttpMethod.Put, $"/api/v1/agents/{NewAgentId()}", server.Writer, $$"""{"name":"{{new string('x', 1 << 20)}}"}""");
        await huge.ErrorAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task AgentsNeedTheirPermissionAndStayInTheirWorkspace()
    {
        var agent = NewAgentId();
        await PutCallAsync(agent);

        using var callsReader = await server.Client.GetAsync("/api/v1/agents", server.Reader);
        Assert.Contains("can_read_agents", await callsReader.ErrorAsync(HttpStatusCode.Forbidden, "permission_denied"), StringComparison.Ordinal);
        using var agentsReaderWrites = await server.SendAsync(HttpMethod.Put, $"/api/v1/agents/{agent}", server.AgentsReader, """{"name":"X"}""");
        Assert.Contains("can_write_calls", await agentsReaderWrites.ErrorAsync(HttpStatusCode.Forbidden, "permission_denied"), StringComparison.Ordinal);

        using var otherOne = await server.SendAsync(HttpMethod.Get, $"/api/v1/agents/{agent}", server.OtherWorkspace);
        await otherOne.ErrorAsync(HttpStatusCode.NotFound, "not_found");
        var others = await AllAgentsAsync(server.OtherWorkspace, 100);
        Assert.DoesNotContain(others, a => a.GetProperty("id").GetString() == agent);

        // Naming an agent in another workspace creates that workspace's own agent; ours keeps its name.
        using var theirs = await server.SendAsync(HttpMethod.Put, $"/api/v1/agents/{agent}", server.OtherWorkspace, """{"name":"Theirs"}""");
        Assert.Equal(0, (await theirs.JsonAsync(HttpStatusCode.Created)).GetProperty("call_count").GetInt64());
        Assert.Equal("Sales Representative", (await GetAgentAsync(agent)).GetProperty("name").GetString());
    }
}

public sealed class AgentsTestsOnSqlite(WritableServer<SqliteStore> server) : AgentsTests<SqliteStore>(server), IClassFixture<WritableServer<SqliteStore>>;

public sealed class AgentsTestsOnPostgres(WritableServer<PostgresStore> server) : AgentsTests<PostgresStore>(server), IClassFixture<WritableServer<PostgresStore>>;
