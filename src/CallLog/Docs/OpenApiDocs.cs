using System.Text.Json.Nodes;
using CallLog.Authentication;
using CallLog.Calls;
using CallLog.Calls.List;
using CallLog.Errors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace CallLog.Docs;

/// <summary>
/// The machine-readable contract, generated from the endpoints at <c>/openapi/v1.json</c> (OpenAPI 3.1),
/// and browsable docs at <c>/docs</c> (Scalar, its script served by this program: no CDN).
/// </summary>
internal static class OpenApiDocs
{
    public const string Bearer = "bearer";
    public const string HeaderKey = "apiKeyHeader";
    public const string QueryKey = "apiKeyQuery";

    private static readonly Dictionary<string, (string Name, string Description, JsonSchemaType Type)> ResponseHeaders = new()
    {
        ["401"] = ("WWW-Authenticate", "`Bearer`: how to send a key.", JsonSchemaType.String),
        ["429"] = ("Retry-After", "Seconds until the key's next request will be allowed.", JsonSchemaType.Integer),
        ["503"] = ("Retry-After", "Seconds to wait before retrying.", JsonSchemaType.Integer),
    };

    public static IServiceCollection AddOpenApiDocs(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        // Request bodies are named for what they are in the API, whatever the C# names.
        options.CreateSchemaReferenceId = type =>
            type.Type == typeof(System.Text.Json.JsonElement) ? "CallMetadata"
            : type.Type == typeof(Calls.ById.CallPatchInput) ? "CallPatch"
            : type.Type == typeof(Agents.AgentName) ? "AgentInput"
            : type.Type == typeof(System.Text.Json.Nodes.JsonObject) ? "MetadataInput"
            : Microsoft.AspNetCore.OpenApi.OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "CallLog API",
                Version = "v1",
                Description = "Call records for voice-AI agent platforms, compatible with Klen's public API. " +
                    "Every request needs an API key, sent one of three ways; every error is `{\"error\": \"<code>\", \"message\": \"...\", \"request_id\": \"...\"}`.",
                License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
                Contact = new OpenApiContact { Name = "CallLog" },
            };
            // A template a client generator can fill in (scheme and host), then the server the document came from.
            document.Servers =
            [
                new OpenApiServer
                {
                    Url = "{scheme}://{host}",
                    Description = "A CallLog server",
                    Variables = new Dictionary<string, OpenApiServerVariable>
                    {
                        ["scheme"] = new() { Default = "http", Enum = ["http", "https"] },
                        ["host"] = new() { Default = "localhost:5080", Description = "Host and port." },
                    },
                },
                new OpenApiServer { Url = "/", Description = "The server this document was fetched from" },
            ];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [Bearer] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "`Authorization: Bearer klen_...` (the scheme is case-insensitive)." },
                [HeaderKey] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKeyDefaults.HeaderName, Description = "`X-API-Key: klen_...`" },
                [QueryKey] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Query, Name = ApiKeyDefaults.QueryParameter, Description = "`?api_key=klen_...`, for Klen compatibility; prefer a header (URLs end up in logs; the server's own log redacts it)." },
            };
            document.Tags = new HashSet<OpenApiTag>
            {
                new() { Name = "Calls", Description = "Call records: list, read one in full, write them as they happen." },
                new() { Name = "Agents", Description = "The agents that place and answer calls, with their call counts." },
                new() { Name = "Contacts", Description = "The people on the other end of calls." },
                new() { Name = "Events", Description = "Every change, in commit order." },
                new() { Name = "Dialing", Description = "Placing calls, the queue the voice runtime dials them from, and the do-not-call list." },
                new() { Name = "Webhooks", Description = "Endpoints that every event is pushed to, signed per Standard Webhooks, and their delivery log." },
                new() { Name = "Operations", Description = "Liveness and readiness, for load balancers; no key." },
            };
            NamedEnums(document);
            document.Paths["/healthz"] = HealthPath(document, "getHealth", "Liveness", "200 while the process serves; touches nothing.", ready: false);
            document.Paths["/readyz"] = HealthPath(document, "getReadiness", "Readiness",
                "200 when the store answers, every migration is applied and (SQLite) its disk has room; 503 with the problem otherwise.", ready: true);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            // The headers that come with these statuses wherever they are answered.
            foreach (var (status, response) in operation.Responses ?? [])
            {
                if (ResponseHeaders.TryGetValue(status, out var header))
                {
                    response.AddHeader(header.Name, header.Description, header.Type);
                }
            }
            // Any one of the three ways of sending a key, on every endpoint that needs one.
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
            {
                operation.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(HeaderKey, context.Document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(QueryKey, context.Document)] = [] },
                ];
            }
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            // Timestamps go through our converter, so the generator cannot see their form: whole seconds, UTC.
            if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?))
            {
                schema.Type = type == typeof(DateTimeOffset) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
                schema.Format = "date-time";
                schema.Pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$";
                schema.Description = "Whole seconds: answers are UTC with Z (2025-04-23T14:30:45Z); writes may also give an offset (+02:00).";
            }
            else if (type == typeof(CallStatus) || type == typeof(CallType))
            {
                schema.Type = JsonSchemaType.String;
            }
            // Call metadata: whatever object of string keys the runtime attached, or {}.
            else if (type == typeof(System.Text.Json.JsonElement))
            {
                schema.Type = JsonSchemaType.Object;
                schema.Description = "An object of string keys the voice runtime attached to the call; {} when none.";
            }
            // A placed call's variables: the object it was placed with, or null.
            else if (type == typeof(System.Text.Json.JsonElement?))
            {
                schema.Type = JsonSchemaType.Object | JsonSchemaType.Null;
                schema.Description = "What a placed call (POST /api/v1/calls) was given for the runtime; null for calls the runtime wrote.";
            }
            return Task.CompletedTask;
        });
    });

    /// <summary>The error code and the list's sort as named enums, which generated clients turn into types.</summary>
    private static void NamedEnums(OpenApiDocument document)
    {
        document.Components!.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas["ErrorCode"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "What went wrong, as Klen names it.",
            Enum = [.. ErrorCodes.All.Select(c => (JsonNode)JsonValue.Create(c))],
        };
        document.Components.Schemas["CallSort"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The list's order; `-` is descending.",
            Enum = [.. CallSorts.Wire.Select(s => (JsonNode)JsonValue.Create(s))],
        };
        if (document.Components.Schemas.TryGetValue(nameof(ApiError), out var error) && error is OpenApiSchema body && body.Properties is { } properties)
        {
            properties["error"] = new OpenApiSchemaReference("ErrorCode", document);
        }
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.Name == "sort"))
            {
                parameter.Schema = new OpenApiSchemaReference("CallSort", document);
            }
        }
    }

    private static OpenApiPathItem HealthPath(OpenApiDocument document, string id, string summary, string description, bool ready)
    {
        var status = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "status" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("ok"), JsonValue.Create("unavailable")] },
                ["problem"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Why it is not ready." },
            },
        };
        OpenApiResponse Answer(string text) => new()
        {
            Description = text,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = status } },
        };
        var responses = new OpenApiResponses { ["200"] = Answer("Serving.") };
        if (ready)
        {
            responses["503"] = Answer("Not ready: the problem says why.");
        }
        return new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = id,
                    Summary = summary,
                    Description = description,
                    Tags = new HashSet<OpenApiTagReference> { new("Operations", document) },
                    Security = [],
                    Responses = responses,
                },
            },
        };
    }

    public static IEndpointRouteBuilder MapOpenApiDocs(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi();
        routes.MapScalarApiReference("/docs", options => options
            .WithTitle("CallLog API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return routes;
    }
}
