using System.Globalization;
using System.Net;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests.Faults;

/// <summary>What a careless or hostile client sends gets a 4xx naming the problem, never a 500, and never leaves data that a backup cannot restore.</summary>
public abstract class HostileInputTests<TStore>(WritableServer<TStore> server) where TStore : TestStore, new()
{
    /// <summary>CALLLOG_FUZZ_SEED and CALLLOG_FUZZ_REQUESTS replay or lengthen a run; a failure names its seed.</summary>
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("CALLLOG_FUZZ_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : 20261203;
    private static readonly int Requests = int.TryParse(Environment.GetEnvironmentVariable("CALLLOG_FUZZ_REQUESTS"), CultureInfo.InvariantCulture, out var count) ? count : 1500;

    private Task<HttpResponseMessage> PutAsync(string path, string body) => server.SendAsync(HttpMethod.Put, path, server.Writer, body);

    [Fact]
    public async Task FuzzedRequestsGetNoServerErrorAndLeaveAnExportThatImports()
    {
        // Keys of their own without a rate limit: the fuzz is faster than a key's budget, and the other tests share the fixture's keys.
        const string Everything = "can_read_calls,can_write_calls,can_read_agents,can_read_contacts,can_write_contacts";
        var key = (await server.Store.CreateKeyAsync(Everything, "runtime", "--rate-limit", "0")).Secret;
        var otherKey = (await server.Store.CreateKeyAsync(Everything, "someone-else", "--rate-limit", "0")).Secret;
        var input = new HostileInput(Seed, key, otherKey);
        for (var i = 0; i < Requests; i++)
        {
            var (request, description) = input.Next();
            using (request)
            {
                var where = $"seed {Seed}, request {i}: {description}";
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(15));
                HttpResponseMessage response;
                try
                {
                    response = await server.Client.SendAsync(request, timeout.Token);
                }
                catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
                {
                    Assert.Fail($"no answer in 15 s ({where})");
                    throw;
                }
                using (response)
                {
                    var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                    var status = (int)response.StatusCode;
                    Assert.True(status < 500 || (status == 503 && body.Contains("\"server_busy\"", StringComparison.Ordinal)), $"{status} {body} ({where})");
                    if (status >= 400 && request.Method != HttpMethod.Head && request.RequestUri!.OriginalString.StartsWith("/api/", StringComparison.Ordinal))
                    {
                        using var error = JsonDocument.Parse(body);
                        Assert.True(error.RootElement.TryGetProperty("error", out _) && error.RootElement.TryGetProperty("message", out _), $"{status} without Klen's error body: {body} ({where})");
                    }
                }
            }
        }

        // Whatever the fuzz managed to store is a backup that restores: each workspace's export imports into an empty store.
        foreach (var workspace in (string[])["runtime", "someone-else"])
        {
            var exported = await server.Store.RunAsync("export", "--workspace", workspace);
            Assert.True(exported.ExitCode == 0, exported.ToString());
            await using var restored = new SqliteStore();
            await restored.InitializeAsync();
            var imported = await restored.RunWithInputAsync(exported.Stdout, "import", "-");
            Assert.True(imported.ExitCode == 0, $"seed {Seed}: the export of '{workspace}' does not import: {imported}");
        }
    }

    [Theory]
    [InlineData("%20lead")]
    [InlineData("trail%20")]
    [InlineData("%09tab")]
    [InlineData("x{201}")]
    [InlineData("x{3000}")]
    [InlineData("x{7000}")]
    public async Task AnIdInTheUrlObeysTheRuleOfAnIdInABody(string id)
    {
        id = id.StartsWith("x{", StringComparison.Ordinal) ? new string('x', int.Parse(id[2..^1], CultureInfo.InvariantCulture)) : id;
        var body = TestCall.WriteBody("ignored");
        body = body.Replace("\"id\":\"ignored\",", "", StringComparison.Ordinal);
        foreach (var method in (HttpMethod[])[HttpMethod.Put, HttpMethod.Get, HttpMethod.Patch, HttpMethod.Delete])
        {
            using var response = await server.SendAsync(method, $"/api/v1/calls/{id}", server.Writer, method == HttpMethod.Put || method == HttpMethod.Patch ? body : null,
                contentType: method == HttpMethod.Patch ? "application/merge-patch+json" : "application/json");
            Assert.Contains("id in the URL", await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
        }
        using var agent = await server.SendAsync(HttpMethod.Put, $"/api/v1/agents/{id}", server.Writer, "{}");
        Assert.Contains("id in the URL", await agent.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
        using var getAgent = await server.SendAsync(HttpMethod.Get, $"/api/v1/agents/{id}", server.AgentsReader);
        await getAgent.ErrorAsync(HttpStatusCode.BadRequest, "validation_error");
    }

    [Fact]
    public async Task ARepeatedFieldAnywhereInABodyIsRefusedByName()
    {
        var id = TestCall.NewId();
        using (var repeated = await PutAsync($"/api/v1/calls/{id}", TestCall.WriteBody(id).Replace("\"metadata\":{", "\"metadata\":{\"a\":1,\"a\":2,", StringComparison.Ordinal)))
        {
            Assert.Contains("'metadata.a' appears more than once", await repeated.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
        }
        using (var top = await PutAsync($"/api/v1/calls/{id}", TestCall.WriteBody(id).Replace("{\"id\"", "{\"summary\":\"x\",\"id\"", StringComparison.Ordinal)))
        {
            Assert.Contains("'summary' appears more than once", await top.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
        }
        using (var put = await PutAsync($"/api/v1/calls/{id}", TestCall.WriteBody(id)))
        {
            await put.JsonAsync(HttpStatusCode.Created);
        }
        using (var patch = await server.SendAsync(HttpMethod.Patch, $"/api/v1/calls/{id}", server.Writer, """{"metadata":{"b":{"c":1,"c":2}}}""", contentType: "application/merge-patch+json"))
        {
            Assert.Contains("'metadata.b.c' appears more than once", await patch.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
        }
        using (var merge = await server.SendAsync(HttpMethod.Patch, $"/api/v1/calls/{id}", server.Writer, """{"metadata":{"b":1}}""", contentType: "application/merge-patch+json"))
        {
            Assert.Equal(1, (await merge.JsonAsync(HttpStatusCode.OK)).GetProperty("metadata").GetProperty("b").GetInt32());
        }
        using (var contact = await server.SendAsync(HttpMethod.Put, "/api/v1/contacts/4242", server.ContactsWriter, """{"name":"a","name":"b"}"""))
        {
            Assert.Contains("'name' appears more than once", await contact.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
        }

        var line = TestCall.Completed("call_repeat").ToJson().Replace("\"contact\":{", "\"contact\":{\"name\":\"x\",", StringComparison.Ordinal);
        var import = await server.Store.RunWithInputAsync(line, "import", "-", "--workspace", "runtime");
        Assert.Equal(1, import.ExitCode);
        Assert.Contains("'contact.name' appears more than once", import.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallStoredWithARepeatedMetadataKeyStillReadsAndMergesWithTheLastValue()
    {
        // As an earlier build stored it, before repeated fields were refused.
        var id = TestCall.NewId();
        using (var put = await PutAsync($"/api/v1/calls/{id}", TestCall.WriteBody(id)))
        {
            await put.JsonAsync(HttpStatusCode.Created);
        }
        await server.Store.ExecuteSqlAsync($$"""UPDATE calls SET metadata = '{"a":1,"b":{"c":1,"c":2},"a":3}' WHERE id = '{{id}}'""");

        using (var get = await server.SendAsync(HttpMethod.Get, $"/api/v1/calls/{id}", server.Reader))
        {
            Assert.Equal("""{"a":3,"b":{"c":2}}""", (await get.JsonAsync(HttpStatusCode.OK)).GetProperty("metadata").GetRawText());
        }
        using var patch = await server.SendAsync(HttpMethod.Patch, $"/api/v1/calls/{id}", server.Writer, """{"metadata":{"d":4}}""", contentType: "application/merge-patch+json");
        Assert.Equal("""{"a":3,"b":{"c":2},"d":4}""", (await patch.JsonAsync(HttpStatusCode.OK)).GetProperty("metadata").GetRawText());
    }

    [Fact]
    public async Task AKeySentWithoutASchemeIsNeverEchoed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/calls");
        request.Headers.TryAddWithoutValidation("Authorization", server.Reader);
        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var message = await response.ErrorAsync(HttpStatusCode.Unauthorized, "authentication_required");
        Assert.DoesNotContain(server.Reader[..8], message, StringComparison.Ordinal);

        using var basic = new HttpRequestMessage(HttpMethod.Get, "/api/v1/calls");
        basic.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
        using var named = await server.Client.SendAsync(basic, TestContext.Current.CancellationToken);
        var basicMessage = await named.ErrorAsync(HttpStatusCode.Unauthorized, "authentication_required");
        Assert.Contains("'Basic'", basicMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("dXNlcjpwYXNz", basicMessage, StringComparison.Ordinal);
    }
}

public sealed class HostileInputTestsOnSqlite(WritableServer<SqliteStore> server) : HostileInputTests<SqliteStore>(server), IClassFixture<WritableServer<SqliteStore>>;

public sealed class HostileInputTestsOnPostgres(WritableServer<PostgresStore> server) : HostileInputTests<PostgresStore>(server), IClassFixture<WritableServer<PostgresStore>>;
