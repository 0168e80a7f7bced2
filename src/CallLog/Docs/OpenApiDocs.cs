using System.Text.Json.Nodes;
using CallLog.Authentication;
using CallLog.Calls;
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

    public static IServiceCollection AddOpenApiDocs(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.CreateSchemaReferenceId = type => type.Type == typeof(System.Text.Json.JsonElement)
            ? "CallMetadata"
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
            // Relative to wherever the document was fetched from, so it is the same on every host and port.
            document.Servers = [new OpenApiServer { Url = "/", Description = "This CallLog server" }];
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
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
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
            // The error body's code is one of a known set: say which.
            if (type == typeof(ApiError) && schema.Properties?.TryGetValue("error", out var code) == true && code is OpenApiSchema codeSchema)
            {
                codeSchema.Enum = [.. ErrorCodes.All.Select(c => (JsonNode)JsonValue.Create(c))];
            }
            // Timestamps go through our converter, so the generator cannot see their form: whole seconds, UTC.
            else if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?))
            {
                schema.Type = type == typeof(DateTimeOffset) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
                schema.Format = "date-time";
                schema.Pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$";
                schema.Description = "UTC, whole seconds, e.g. 2025-04-23T14:30:45Z. Writes may also give an offset.";
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
            return Task.CompletedTask;
        });
    });

    public static IEndpointRouteBuilder MapOpenApiDocs(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi();
        routes.MapScalarApiReference("/docs", options => options
            .WithTitle("CallLog API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return routes;
    }
}
