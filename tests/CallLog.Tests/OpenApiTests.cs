using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CallLog.Tests.Infrastructure;
using NJsonSchema;

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
            ["DELETE /api/v1/calls/{id}", "GET /api/v1/agents", "GET /api/v1/agents/{id}", "GET /api/v1/calls", "GET /api/v1/calls/{id}",
             "GET /api/v1/contacts", "GET /api/v1/contacts/{id}", "GET /api/v1/events", "PATCH /api/v1/calls/{id}", "PUT /api/v1/agents/{id}",
             "PUT /api/v1/calls/{id}", "PUT /api/v1/contacts/{id}"],
            operations);

        var list = paths["/api/v1/calls"]!["get"]!;
        var parameters = list["parameters"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["schema"]!);
        Assert.Matches(parameters["status"]["pattern"]!.GetValue<string>(), "completed,in-progress");
        Assert.Matches(parameters["type"]["pattern"]!.GetValue<string>(), "inbound");
        Assert.DoesNotMatch(parameters["status"]["pattern"]!.GetValue<string>(), "done");
        Assert.Equal(["-started_at", "started_at", "-duration_seconds", "duration_seconds"], parameters["sort"]["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
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

        var codes = document["components"]!["schemas"]!["ApiError"]!["properties"]!["error"]!["enum"]!.AsArray().Select(c => c!.GetValue<string>());
        Assert.Superset(new HashSet<string>(["validation_error", "invalid_key", "not_found", "conflict", "rate_limit_exceeded"]), codes.ToHashSet());
        Assert.NotNull(list["responses"]!["429"]);
        Assert.NotNull(paths["/api/v1/calls/{id}"]!["patch"]!["responses"]!["409"]);
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

            // NJsonSchema resolves local references under "definitions": move the components there.
            var standalone = new JsonObject
            {
                ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = schema!["$ref"]!.GetValue<string>().Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal) }),
                ["definitions"] = JsonNode.Parse(document["components"]!["schemas"]!.ToJsonString()
                    .Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal)),
            };
            var validator = await JsonSchema.FromJsonAsync(standalone.ToJsonString(), TestContext.Current.CancellationToken);
            var errors = validator.Validate(body);
            Assert.True(errors.Count == 0, $"{method.ToUpperInvariant()} {path} {status} does not match its schema: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}"))}\n{body}");
        }
    }
}

public sealed class OpenApiTestsOnSqlite(WritableServer<SqliteStore> server) : OpenApiTests<SqliteStore>(server), IClassFixture<WritableServer<SqliteStore>>;

public sealed class OpenApiTestsOnPostgres(WritableServer<PostgresStore> server) : OpenApiTests<PostgresStore>(server), IClassFixture<WritableServer<PostgresStore>>;
