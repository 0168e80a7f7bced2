using System.Globalization;
using System.Text.Json.Nodes;

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// The handler of every test server's client: each exchange with a documented /api operation is checked
/// against docs/openapi.json as it happens. A request body the server accepted must match the operation's
/// request schema (else the document refuses what works), and every response must have a documented
/// status and match its schema. A mismatch fails the test that made the request, naming both.
/// </summary>
public sealed class DocumentedTraffic() : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requestBody = request.Content is { } content && IsJson(content.Headers.ContentType?.MediaType)
            ? await content.ReadAsStringAsync(cancellationToken)
            : null;
        var response = await base.SendAsync(request, cancellationToken);
        var document = OpenApiDocument.Committed;
        var requestPath = request.RequestUri!.AbsolutePath;
        if (!requestPath.StartsWith("/api/", StringComparison.Ordinal) || document.PathOf(requestPath) is not { } path
            || document.Operation(path, request.Method.Method) is not { } operation)
        {
            return response;
        }
        var name = $"{request.Method} {path} ({request.RequestUri.PathAndQuery})";
        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);

        // A body sent to an operation that takes none (a GET) is ignored by the server, so not checked.
        if (requestBody is not null && response.IsSuccessStatusCode && operation["requestBody"] is not null)
        {
            var mediaType = request.Content!.Headers.ContentType!.MediaType!;
            var schema = operation["requestBody"]?["content"]?[mediaType]?["schema"];
            Assert.True(schema is not null, $"{name} accepted a {mediaType} body, which the document does not describe:\n{requestBody}");
            var errors = document.Errors(schema!, requestBody);
            Assert.True(errors.Count == 0, $"{name} accepted a body its request schema refuses: {string.Join("; ", errors)}\n{requestBody}");
        }

        // A URL or headers too long are refused before any endpoint runs, whichever it would have been: the error body, undocumented per operation.
        var described = status is "414" or "431"
            ? new JsonObject { ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/ApiError" } } } }
            : operation["responses"]?[status];
        Assert.True(described is not null, $"{name} answered {status}, which the document does not list for it");
        if (IsJson(response.Content.Headers.ContentType?.MediaType))
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var schema = described!["content"]?["application/json"]?["schema"];
            Assert.True(schema is not null, $"{name} answered {status} with JSON the document gives no schema for:\n{body}");
            var errors = document.Errors(schema!, body);
            Assert.True(errors.Count == 0, $"{name} answered {status} with a body its schema refuses: {string.Join("; ", errors)}\n{body}");
        }
        return response;
    }

    private static bool IsJson(string? mediaType) => mediaType is "application/json" or "application/merge-patch+json";
}
