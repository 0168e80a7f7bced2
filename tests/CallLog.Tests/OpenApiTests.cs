using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>
/// The OpenAPI document at /openapi/v1.json: committed as docs/openapi.json (so contract changes show in
/// review), complete, and true: real responses validate against the schemas it gives for them.
/// </summary>
public abstract class OpenApiTests<TStore>(WritableServer<TStore> server) where TStore : TestStore, new()
{
    private static readonly string Committed = Path.Combine(Repository.Root, "docs", "openapi.json");

    private async Task<JsonNode> DocumentAsync()
    {
        using var response = await server.Client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
    }

    [Fact]
    public async Task TheServedDocumentIsTheCommittedOne()
    {
        var served = (await DocumentAsync()).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (Environment.GetEnvironmentVariable("CALLLOG_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(Committed, served, TestContext.Current.CancellationToken);
        }
        var committed = await File.ReadAllTextAsync(Committed, TestContext.Current.CancellationToken);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(committed), JsonNode.Parse(served)),
            "docs/openapi.json differs from what the server serves. If the change is intended, run: CALLLOG_UPDATE_OPENAPI=1 dotnet test --filter-class '*OpenApiTests*'");
    }

    [Fact]
    public async Task TheDocumentIsOpenApi31AndDescribesEveryEndpointParameterAndKey()
    {
        var document = await DocumentAsync();

        Assert.StartsWith("3.1", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        var paths = document["paths"]!.AsObject();
        var operations = paths.SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}")).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["DELETE /api/v1/calls/{id}", "DELETE /api/v1/do-not-call/{phone_number}", "DELETE /api/v1/webhooks/{id}", "GET /api/v1/agents", "GET /api/v1/agents/{id}",
             "GET /api/v1/calls", "GET /api/v1/calls/{id}", "GET /api/v1/campaigns", "GET /api/v1/campaigns/{id}",
             "GET /api/v1/contacts", "GET /api/v1/contacts/{id}", "GET /api/v1/do-not-call/{phone_number}",
             "GET /api/v1/events", "GET /api/v1/webhooks", "GET /api/v1/webhooks/{id}",
             "GET /api/v1/webhooks/{id}/deliveries", "GET /healthz", "GET /readyz", "PATCH /api/v1/calls/{id}", "PATCH /api/v1/webhooks/{id}",
             "POST /api/v1/calls", "POST /api/v1/calls/{id}/cancel", "POST /api/v1/campaigns", "POST /api/v1/campaigns/{id}/cancel",
             "POST /api/v1/campaigns/{id}/pause", "POST /api/v1/campaigns/{id}/resume", "POST /api/v1/dial-queue/claim", "POST /api/v1/dial-queue/{id}/release",
             "POST /api/v1/webhooks", "POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", "POST /api/v1/webhooks/{id}/replay",
             "POST /api/v1/webhooks/{id}/rotate-secret", "POST /api/v1/webhooks/{id}/test", "POST /api/webhooks/create", "PUT /api/v1/agents/{id}",
             "PUT /api/v1/calls/{id}", "PUT /api/v1/contacts/{id}", "PUT /api/v1/do-not-call/{phone_number}"],
            operations);

        var list = paths["/api/v1/calls"]!["get"]!;
        var parameters = list["parameters"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["schema"]!);
        Assert.Equal(["completed", "failed", "in-progress", "queued", "canceled"], parameters["status"]["items"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["inbound", "outbound"], parameters["type"]["items"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        var status = list["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "status")!;
        Assert.False(status["explode"]!.GetValue<bool>());
        Assert.Equal("#/components/schemas/CallSort", parameters["sort"]["$ref"]!.GetValue<string>());
        Assert.Equal(["-started_at", "started_at", "-duration_seconds", "duration_seconds"],
            document["components"]!["schemas"]!["CallSort"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("date-time", parameters["started_after"]["format"]!.GetValue<string>());
        Assert.Superset(new HashSet<string>(["phone_number", "contact_id", "q", "started_before"]), parameters.Keys.ToHashSet());
        Assert.Equal(1, parameters["limit"]["minimum"]!.GetValue<int>());
        Assert.Equal(100, parameters["limit"]["maximum"]!.GetValue<int>());
        Assert.Equal(10, parameters["limit"]["default"]!.GetValue<int>());
        Assert.Contains("cursor", parameters.Keys);

        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("bearer", schemes["bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal("X-API-Key", schemes["apiKeyHeader"]!["name"]!.GetValue<string>());
        Assert.Equal("query", schemes["apiKeyQuery"]!["in"]!.GetValue<string>());
        Assert.Equal(3, list["security"]!.AsArray().Count);

        Assert.Equal("#/components/schemas/ErrorCode", document["components"]!["schemas"]!["ApiError"]!["properties"]!["error"]!["$ref"]!.GetValue<string>());
        var codes = document["components"]!["schemas"]!["ErrorCode"]!["enum"]!.AsArray().Select(c => c!.GetValue<string>());
        Assert.Superset(new HashSet<string>(["validation_error", "invalid_key", "not_found", "conflict", "rate_limit_exceeded"]), codes.ToHashSet());
        Assert.NotNull(list["responses"]!["429"]);
        Assert.NotNull(paths["/api/v1/calls/{id}"]!["patch"]!["responses"]!["409"]);

        // What generated clients need: headers, the 503 every endpoint may answer, health without a key, integer contact ids.
        foreach (var (path, method) in new[] { ("/api/v1/calls/{id}", "put"), ("/api/v1/calls/{id}", "patch"), ("/api/v1/calls/{id}", "delete") })
        {
            Assert.Contains(paths[path]![method]!["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "If-Match" && p["in"]!.GetValue<string>() == "header");
        }
        Assert.NotNull(paths["/api/v1/calls/{id}"]!["get"]!["responses"]!["200"]!["headers"]!["ETag"]);
        Assert.NotNull(paths["/api/v1/calls/{id}"]!["put"]!["responses"]!["201"]!["headers"]!["ETag"]);
        foreach (var operation in paths.Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal)).SelectMany(p => p.Value!.AsObject().Select(m => m.Value!)))
        {
            Assert.NotNull(operation["responses"]!["503"]!["headers"]!["Retry-After"]);
            Assert.NotNull(operation["responses"]!["429"]!["headers"]!["Retry-After"]);
            Assert.NotNull(operation["responses"]!["401"]!["headers"]!["WWW-Authenticate"]);
        }
        foreach (var health in new[] { "/healthz", "/readyz" })
        {
            Assert.Empty(paths[health]!["get"]!["security"]!.AsArray());
        }
        Assert.Equal("integer", paths["/api/v1/contacts/{id}"]!["get"]!["parameters"]![0]!["schema"]!["type"]!.GetValue<string>());
        Assert.Equal("{scheme}://{host}", document["servers"]![0]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task RealResponsesValidateAgainstTheDocumentsSchemas()
    {
        var document = await DocumentAsync();
        var id = TestCall.NewId();
        var calls = $"/api/v1/calls/{id}";

        await ValidAsync(document, "/api/v1/calls/{id}", "put", await server.SendAsync(HttpMethod.Put, calls, server.Writer, TestCall.WriteBody(id, "in-progress", transcript: null, metadata: "{}")));
        await ValidAsync(document, "/api/v1/calls/{id}", "patch", await server.SendAsync(HttpMethod.Patch, calls, server.Writer, """{"status":"completed","ended_at":"2025-04-23T14:40:00Z"}"""));
        await ValidAsync(document, "/api/v1/calls/{id}", "patch", await server.SendAsync(HttpMethod.Patch, calls, server.Writer, """{"status":"failed"}"""));
        await ValidAsync(document, "/api/v1/calls/{id}", "put", await server.SendAsync(HttpMethod.Put, calls, server.Writer, TestCall.WriteBody(id), ifMatch: "\"1\""));
        await ValidAsync(document, "/api/v1/calls/{id}", "put", await server.SendAsync(HttpMethod.Put, calls, server.Writer, "{}", contentType: "text/plain"));
        await ValidAsync(document, "/api/v1/calls/{id}", "get", await server.SendAsync(HttpMethod.Get, calls, server.Reader));
        await ValidAsync(document, "/api/v1/calls/{id}", "get", await server.SendAsync(HttpMethod.Get, "/api/v1/calls/call_never", server.Reader));
        await ValidAsync(document, "/api/v1/calls", "get", await server.Client.GetAsync("/api/v1/calls?limit=3", server.Reader));
        await ValidAsync(document, "/api/v1/calls", "get", await server.Client.GetAsync("/api/v1/calls?limit=0", server.Reader));
        await ValidAsync(document, "/api/v1/calls", "get", await server.Client.GetAsync("/api/v1/calls", null));
        await ValidAsync(document, "/api/v1/calls", "get", await server.Client.GetAsync("/api/v1/calls", server.AgentsReader));
        await ValidAsync(document, "/api/v1/agents", "get", await server.Client.GetAsync("/api/v1/agents", server.AgentsReader));
        await ValidAsync(document, "/api/v1/agents/{id}", "put", await server.SendAsync(HttpMethod.Put, $"/api/v1/agents/a_{id}", server.Writer, """{"name":"Docs"}"""));
        await ValidAsync(document, "/api/v1/contacts/{id}", "put", await server.SendAsync(HttpMethod.Put, "/api/v1/contacts/77", server.ContactsWriter, """{"name":"Ada","phone_number":"+15550000077"}"""));
        await ValidAsync(document, "/api/v1/contacts", "get", await server.Client.GetAsync("/api/v1/contacts?search=ada", server.ContactsReader));
        await ValidAsync(document, "/api/v1/contacts/{id}", "get", await server.Client.GetAsync("/api/v1/contacts/77", server.ContactsReader));
        await ValidAsync(document, "/api/v1/events", "get", await server.Client.GetAsync("/api/v1/events?limit=100", server.Reader));
        await ValidAsync(document, "/api/v1/events", "get", await server.Client.GetAsync("/api/v1/events?type=call.nothing", server.Reader));

        var hooks = "/api/v1/webhooks";
        var created = await server.SendAsync(HttpMethod.Post, hooks, server.WebhookManager, """{"url":"https://93.184.216.34/docs","events":["contact.updated"]}""");
        var webhook = (await created.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await ValidAsync(document, hooks, "post", created);
        await ValidAsync(document, hooks, "post", await server.SendAsync(HttpMethod.Post, hooks, server.WebhookManager, """{"url":"ftp://x","events":[]}"""));
        await ValidAsync(document, "/api/webhooks/create", "post", await server.SendAsync(HttpMethod.Post, "/api/webhooks/create/", server.WebhookManager,
            """{"name":"Klen","url":"https://93.184.216.34/klen","subscribed_events":["call.ended"]}"""));
        await ValidAsync(document, hooks, "get", await server.Client.GetAsync(hooks, server.WebhookManager));
        await ValidAsync(document, hooks, "get", await server.Client.GetAsync(hooks, server.Reader));
        await ValidAsync(document, $"{hooks}/{{id}}", "get", await server.Client.GetAsync($"{hooks}/{webhook}", server.WebhookManager));
        await ValidAsync(document, $"{hooks}/{{id}}", "get", await server.Client.GetAsync($"{hooks}/wh_none", server.WebhookManager));
        await ValidAsync(document, $"{hooks}/{{id}}", "patch", await server.SendAsync(HttpMethod.Patch, $"{hooks}/{webhook}", server.WebhookManager, """{"enabled":false}"""));
        await ValidAsync(document, $"{hooks}/{{id}}/rotate-secret", "post", await server.SendAsync(HttpMethod.Post, $"{hooks}/{webhook}/rotate-secret", server.WebhookManager));
        await ValidAsync(document, $"{hooks}/{{id}}/test", "post", await server.SendAsync(HttpMethod.Post, $"{hooks}/{webhook}/test", server.WebhookManager));
        await ValidAsync(document, $"{hooks}/{{id}}/deliveries", "get", await server.Client.GetAsync($"{hooks}/{webhook}/deliveries", server.WebhookManager));
        await ValidAsync(document, $"{hooks}/{{id}}/replay", "post", await server.SendAsync(HttpMethod.Post, $"{hooks}/{webhook}/replay", server.WebhookManager, """{"since":"2025-01-01T00:00:00Z"}"""));
        using var deleted = await server.SendAsync(HttpMethod.Delete, $"{hooks}/{webhook}", server.WebhookManager);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.NotNull(document["paths"]![$"{hooks}/{{id}}"]!["delete"]!["responses"]!["204"]);
    }

    [Fact]
    public async Task TheDocsPageServesItsScriptsItself()
    {
        using var page = await server.Client.GetAsync("/docs", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            Assert.DoesNotContain("//", script, StringComparison.Ordinal);
            using var asset = await server.Client.GetAsync(new Uri(page.RequestMessage!.RequestUri!, script), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Contains("javascript", asset.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        }
        // Scalar resolves the document against the site root (minus /docs/): /openapi/v1.json.
        Assert.Contains("\"url\":\"openapi/v1.json\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRequestBodiesTheDocsShowMatchTheRequestSchemasAndUnknownFieldsDoNot()
    {
        var document = await DocumentAsync();
        var id = TestCall.NewId();
        string[] calls =
        [
            """{"agent_id":"assistant_12345","status":"in-progress","type":"outbound","phone_number":"+15551234567","started_at":"2025-04-23T14:30:45Z"}""",
            """{"agent_id":"assistant_12345","agent_name":"Sales Representative","status":"in-progress","type":"outbound","phone_number":"+15551234567","started_at":"2025-04-23T14:30:45Z","contact":{"id":123,"name":"John Doe","email":"john@example.com","company":"Acme Corp"},"transcript":null,"metadata":{"campaign":"spring"}}""",
            """{"agent_id":"a","status":"completed","type":"inbound","phone_number":"+15551234567","started_at":"2025-04-23T16:30:45+02:00","ended_at":"2025-04-23T14:35:12Z","duration_seconds":267,"summary":null,"recording_url":null,"contact":{"id":7},"metadata":null}""",
            TestCall.WriteBody(id),
        ];
        foreach (var body in calls)
        {
            RequestValid(document, "/api/v1/calls/{id}", "put", "application/json", body, valid: true);
        }
        foreach (var body in new[]
        {
            """{"status":"completed","ended_at":"2025-04-23T14:35:12Z"}""",
            """{"summary":"Customer agreed to a demo.","transcript":"Agent: Hi...","recording_url":"https://example.com/1.mp3"}""",
            """{"metadata":{"campaign":null,"crm":"42"},"contact":{"email":null},"summary":null}""",
        })
        {
            RequestValid(document, "/api/v1/calls/{id}", "patch", "application/merge-patch+json", body, valid: true);
        }
        RequestValid(document, "/api/v1/agents/{id}", "put", "application/json", """{"name":"Closer"}""", valid: true);
        RequestValid(document, "/api/v1/agents/{id}", "put", "application/json", "{}", valid: true);
        RequestValid(document, "/api/v1/contacts/{id}", "put", "application/json",
            """{"name":"John Doe","email":"john@example.com","company":"Acme Corp","phone_number":"+15551234567"}""", valid: true);
        RequestValid(document, "/api/v1/contacts/{id}", "put", "application/json", """{"name":"Ada","phone_number":"+15550000077"}""", valid: true);

        RequestValid(document, "/api/v1/webhooks", "post", "application/json", """{"url":"https://crm.example.com/calllog","events":["call.ended","call.failed"],"description":"CRM sync"}""", valid: true);
        RequestValid(document, "/api/v1/webhooks/{id}", "patch", "application/json", """{"enabled":true}""", valid: true);
        RequestValid(document, "/api/v1/webhooks/{id}/replay", "post", "application/json", """{"since":"2026-12-01T00:00:00Z"}""", valid: true);
        RequestValid(document, "/api/webhooks/create", "post", "application/json", """{"name":"CRM","url":"https://crm.example.com/x","subscribed_events":["call.ended"]}""", valid: true);

        // What the server refuses, the schemas refuse too.
        RequestValid(document, "/api/v1/webhooks", "post", "application/json", """{"url":"https://crm.example.com/calllog"}""", valid: false);
        RequestValid(document, "/api/v1/calls/{id}", "put", "application/json", calls[0].Replace("}", ""","bogus":1}""", StringComparison.Ordinal), valid: false);
        RequestValid(document, "/api/v1/calls/{id}", "put", "application/json", """{"agent_id":"a","status":"completed"}""", valid: false);
        RequestValid(document, "/api/v1/calls/{id}", "patch", "application/merge-patch+json", """{"contact":{"nickname":"x"}}""", valid: false);
        RequestValid(document, "/api/v1/agents/{id}", "put", "application/json", """{"title":"x"}""", valid: false);
    }

    private static void RequestValid(JsonNode document, string path, string method, string contentType, string body, bool valid)
    {
        var schema = document["paths"]?[path]?[method]?["requestBody"]?["content"]?[contentType]?["schema"];
        Assert.True(schema is not null, $"{method.ToUpperInvariant()} {path} has no {contentType} request schema");
        var errors = new OpenApiDocument(document).Errors(schema!, body);
        Assert.True((errors.Count == 0) == valid,
            $"{method.ToUpperInvariant()} {path}: expected the body to be {(valid ? "valid" : "refused")}: {string.Join("; ", errors)}\n{body}");
    }

    /// <summary>Checks a response against the schema the document gives for its path, method and status.</summary>
    private static async Task ValidAsync(JsonNode document, string path, string method, HttpResponseMessage response)
    {
        using (response)
        {
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var described = document["paths"]?[path]?[method]?["responses"]?[status];
            Assert.True(described is not null, $"{method.ToUpperInvariant()} {path} answered {status}, which the document does not list: {body}");
            var schema = described!["content"]?["application/json"]?["schema"];
            Assert.True(schema is not null, $"{method.ToUpperInvariant()} {path} {status} has no JSON schema in the document");

            var errors = new OpenApiDocument(document).Errors(schema!, body);
            Assert.True(errors.Count == 0, $"{method.ToUpperInvariant()} {path} {status} does not match its schema: {string.Join("; ", errors)}\n{body}");
        }
    }
}

public sealed class OpenApiTestsOnSqlite(WritableServer<SqliteStore> server) : OpenApiTests<SqliteStore>(server), IClassFixture<WritableServer<SqliteStore>>;

public sealed class OpenApiTestsOnPostgres(WritableServer<PostgresStore> server) : OpenApiTests<PostgresStore>(server), IClassFixture<WritableServer<PostgresStore>>;
