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

    /// <summary>One value or several joined by commas (<c>style: form, explode: false</c>), each one of <paramref name="values"/>.</summary>
    public static QueryParameterDoc ListOf(string name, string description, params string[] values) =>
        new(name, description, JsonSchemaType.Array, Values: values);
}

/// <summary>What the OpenAPI document says about each endpoint beyond what the handler's signature shows.</summary>
internal static class EndpointDocs
{
    /// <summary>Every endpoint behind a key may answer these; 503 whenever the store is out.</summary>
    private static readonly int[] Always = [401, 403, 429, 500, 503];

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

    /// <summary>
    /// A call's version: its 200 and 201 carry an <c>ETag</c>, and with <paramref name="ifMatch"/> the request
    /// may send <c>If-Match</c> (a version, <c>"N"</c>, or <c>*</c>) to change it only if it is still that one.
    /// </summary>
    public static RouteHandlerBuilder Versioned(this RouteHandlerBuilder endpoint, bool ifMatch) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (ifMatch)
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "If-Match",
                    In = ParameterLocation.Header,
                    Description = "The call's `ETag` (`\"3\"`) or `*`: the change applies only if the call is still that version, otherwise 412.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^(\\*|\"[0-9]+\")$" },
                });
            }
            foreach (var (status, response) in operation.Responses ?? [])
            {
                if (status is "200" or "201")
                {
                    response.AddHeader("ETag", "The call's version, for `If-Match`.", JsonSchemaType.String);
                }
            }
            return Task.CompletedTask;
        });

    /// <summary>The path's <c>{id}</c> is a positive integer (contacts, as in Klen).</summary>
    public static RouteHandlerBuilder IntegerId(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.Name == "id" && p.In == ParameterLocation.Path))
            {
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1" };
            }
            return Task.CompletedTask;
        });

    /// <summary>A header the response carries, as the document describes it.</summary>
    public static void AddHeader(this IOpenApiResponse response, string name, string description, JsonSchemaType type)
    {
        if (response is OpenApiResponse described)
        {
            described.Headers ??= new Dictionary<string, IOpenApiHeader>();
            described.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = type } };
        }
    }

    /// <summary>Query parameters the handler reads itself (to refuse unknown ones), described for the document.</summary>
    public static RouteHandlerBuilder Query(this RouteHandlerBuilder endpoint, params QueryParameterDoc[] parameters) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var p in parameters)
            {
                var schema = new OpenApiSchema { Type = p.Type, Minimum = p.Minimum, Maximum = p.Maximum, Default = p.Default, Pattern = p.Pattern, Format = p.Format };
                var values = p.Values?.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
                if (p.Type == JsonSchemaType.Array)
                {
                    schema.Items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = values };
                }
                else if (values is not null)
                {
                    schema.Enum = values;
                }
                var parameter = new OpenApiParameter { Name = p.Name, In = ParameterLocation.Query, Description = p.Description, Schema = schema };
                if (p.Type == JsonSchemaType.Array)
                {
                    (parameter.Style, parameter.Explode) = (ParameterStyle.Form, false);
                }
                operation.Parameters.Add(parameter);
            }
            return Task.CompletedTask;
        });
}
