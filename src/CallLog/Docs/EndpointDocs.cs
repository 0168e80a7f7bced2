using System.Text.Json.Nodes;
using CallLog.Errors;
using Microsoft.OpenApi;

namespace CallLog.Docs;

/// <summary>One query parameter as the OpenAPI document describes it: its type, range, allowed values and default.</summary>
internal sealed record QueryParameterDoc(string Name, string Description, JsonSchemaType Type,
    string? Minimum = null, string? Maximum = null, JsonNode? Default = null, string[]? Values = null, string? Pattern = null, string? Format = null)
{
    public static QueryParameterDoc Int(string name, string description, int minimum, int? maximum, int? fallback) =>
        new(name, description, JsonSchemaType.Integer, $"{minimum}", maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            fallback is { } value ? JsonValue.Create(value) : null);

    public static QueryParameterDoc Time(string name, string description) =>
        new(name, description, JsonSchemaType.String, Format: "date-time");

    public static QueryParameterDoc OneOf(string name, string description, params string[] values) =>
        new(name, description, JsonSchemaType.String, Values: values);

    public static QueryParameterDoc Text(string name, string description, string? pattern = null) =>
        new(name, description, JsonSchemaType.String, Pattern: pattern);
}

/// <summary>What the OpenAPI document says about each endpoint beyond what the handler's signature shows.</summary>
internal static class EndpointDocs
{
    /// <summary>Every endpoint behind a key may answer these.</summary>
    private static readonly int[] Always = [401, 403, 429, 500];

    public static RouteHandlerBuilder Documented(this RouteHandlerBuilder endpoint, string name, string tag, string summary, string description) =>
        endpoint.WithName(name).WithTags(tag).WithSummary(summary).WithDescription(description);

    /// <summary>The error statuses this endpoint answers with Klen's error body, plus the ones every keyed endpoint may.</summary>
    public static RouteHandlerBuilder Errors(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        foreach (var status in statuses.Concat(Always).Distinct().Order())
        {
            endpoint.Produces<ApiError>(status);
        }
        return endpoint;
    }

    /// <summary>Query parameters the handler reads itself (to refuse unknown ones), described for the document.</summary>
    public static RouteHandlerBuilder Query(this RouteHandlerBuilder endpoint, params QueryParameterDoc[] parameters) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var p in parameters)
            {
                var schema = new OpenApiSchema { Type = p.Type, Minimum = p.Minimum, Maximum = p.Maximum, Default = p.Default, Pattern = p.Pattern, Format = p.Format };
                if (p.Values is not null)
                {
                    schema.Enum = [.. p.Values.Select(v => (JsonNode)JsonValue.Create(v))];
                }
                operation.Parameters.Add(new OpenApiParameter { Name = p.Name, In = ParameterLocation.Query, Description = p.Description, Schema = schema });
            }
            return Task.CompletedTask;
        });
}
