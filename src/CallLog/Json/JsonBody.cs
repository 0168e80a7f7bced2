using System.Text.Json;
using CallLog.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallLog.Json;

/// <summary>
/// Reads a JSON request body within a size limit, answering each way it can be wrong with its own
/// error: 415 for another content type, 413 past the limit, 400 naming where the JSON breaks, which
/// field repeats or which string no store can keep (<see cref="JsonText"/>).
/// </summary>
internal static class JsonBody
{
    public const int MaxBytes = 1 << 20;

    /// <summary>Reads the body and hands its root to <paramref name="handle"/>; any problem with the body is answered here.</summary>
    public static Task<IResult> HandleAsync(HttpRequest request, Func<JsonElement, Task<IResult>> handle, CancellationToken cancellationToken) =>
        HandleAsync(request, MaxBytes, handle, cancellationToken);

    /// <summary>As above, for an endpoint whose bodies may be larger (a campaign's recipients).</summary>
    public static async Task<IResult> HandleAsync(HttpRequest request, int maxBytes, Func<JsonElement, Task<IResult>> handle, CancellationToken cancellationToken)
    {
        var (document, error) = await ReadAsync(request, maxBytes, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        using (document)
        {
            return await handle(document!.RootElement);
        }
    }

    private static async Task<(JsonDocument? Document, IResult? Error)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return (null, ApiError.Respond(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
                $"The request body must be application/json; got '{request.ContentType ?? "no Content-Type"}'."));
        }
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }
        // Read at most one byte past the limit: a chunked body that lies about its size is caught too.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                return (null, TooLarge(maxBytes));
            }
        }
        JsonDocument document;
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        try
        {
            document = StrictJson.Parse(body);
        }
        catch (JsonException ex)
        {
            return (null, TypedResults.BadRequest(ApiError.Validation(StrictJson.RepeatedField(body) is { } repeated
                ? $"The body is not valid: {repeated}."
                : $"The body is not valid JSON: the problem is at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}.")));
        }
        if (JsonText.FirstProblem(document.RootElement) is { } problem)
        {
            document.Dispose();
            return (null, TypedResults.BadRequest(ApiError.Validation($"The body has text that cannot be stored: {problem}.")));
        }
        return (document, null);
    }

    private static JsonHttpResult<ApiError> TooLarge(int maxBytes) =>
        ApiError.Respond(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, $"The request body is larger than {maxBytes / 1024} KiB.");
}
