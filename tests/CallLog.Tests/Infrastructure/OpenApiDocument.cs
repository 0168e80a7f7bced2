using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NJsonSchema;

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// docs/openapi.json as the tests check traffic against it: which documented operation a request is,
/// and the JSON schema of its request body or of a response, compiled once.
/// </summary>
public sealed class OpenApiDocument
{
    private readonly ConcurrentDictionary<string, Lazy<JsonSchema>> _validators = new();
    private readonly List<(Regex Pattern, string Path)> _paths;

    public OpenApiDocument(JsonNode document)
    {
        Node = document;
        // Literal paths before templated ones, so /webhooks/{id}/test is never taken for a deeper template.
        _paths = [.. document["paths"]!.AsObject()
            .Select(p => (Pattern: new Regex("^" + Regex.Replace(Regex.Escape(p.Key), @"\\\{[^}]+}", "[^/]+") + "$", RegexOptions.CultureInvariant), Path: p.Key))
            .OrderBy(p => p.Path.Count(c => c == '{'))];
    }

    /// <summary>The committed document, which a test keeps equal to what the server serves.</summary>
    public static OpenApiDocument Committed { get; } = new(JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "docs", "openapi.json")))!);

    public JsonNode Node { get; }

    /// <summary>The document's path for a request path (a trailing slash ignored), or null when it documents none.</summary>
    public string? PathOf(string requestPath)
    {
        var path = requestPath.Length > 1 ? requestPath.TrimEnd('/') : requestPath;
        return _paths.FirstOrDefault(p => p.Pattern.IsMatch(path)).Path;
    }

    public JsonNode? Operation(string path, string method) => Node["paths"]?[path]?[method.ToLowerInvariant()];

    /// <summary>A validator for <paramref name="schema"/> (a reference to a component or an inline schema).</summary>
    public JsonSchema Validator(JsonNode schema) =>
        _validators.GetOrAdd(schema.ToJsonString(), key => new Lazy<JsonSchema>(() => Compile(key))).Value;

    /// <summary>NJsonSchema resolves local references under "definitions": the components move there.</summary>
    private JsonSchema Compile(string schema)
    {
        static string Moved(string json) => json.Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal);
        var standalone = new JsonObject
        {
            ["allOf"] = new JsonArray(JsonNode.Parse(Moved(schema))),
            ["definitions"] = JsonNode.Parse(Moved(Node["components"]!["schemas"]!.ToJsonString())),
        };
        return JsonSchema.FromJsonAsync(standalone.ToJsonString()).GetAwaiter().GetResult();
    }

    /// <summary>What the schema finds wrong with <paramref name="json"/>, one line per error; empty when it is valid.</summary>
    public IReadOnlyList<string> Errors(JsonNode schema, string json) =>
        [.. Validator(schema).Validate(json).Select(e => $"{e.Path}: {e.Kind}")];
}
