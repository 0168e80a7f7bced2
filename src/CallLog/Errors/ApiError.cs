using CallLog.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallLog.Errors;

/// <summary>
/// Klen's error body: <c>{"error": "&lt;code&gt;", "message": "..."}</c>, plus <c>request_id</c>, the id of
/// the request that failed (also in the <c>X-Request-Id</c> header and the server log), to quote to support.
/// </summary>
internal sealed record ApiError(string Error, string Message)
{
    public string? RequestId { get; init; } = RequestIds.Current;

    public static ApiError Validation(string message) => new(ErrorCodes.ValidationError, message);

    /// <summary>An error response with any status: the one way handlers answer other than 400.</summary>
    public static JsonHttpResult<ApiError> Respond(int status, string code, string message) =>
        TypedResults.Json(new ApiError(code, message), CallLogJson.Wire.ApiError, statusCode: status);
}

internal static class ErrorCodes
{
    public const string ValidationError = "validation_error";
    public const string AuthenticationRequired = "authentication_required";
    public const string InvalidKey = "invalid_key";
    public const string PermissionDenied = "permission_denied";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string PreconditionFailed = "precondition_failed";
    public const string Conflict = "conflict";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string RateLimitExceeded = "rate_limit_exceeded";
    public const string Busy = "server_busy";
    public const string ServerError = "server_error";
    public const string DoNotCall = "do_not_call";

    public static readonly IReadOnlyList<string> All =
    [
        ValidationError, AuthenticationRequired, InvalidKey, PermissionDenied, NotFound, MethodNotAllowed, Conflict,
        PreconditionFailed, PayloadTooLarge, UnsupportedMediaType, RateLimitExceeded, Busy, ServerError, DoNotCall,
    ];

    /// <summary>The code for a response that left the pipeline with a status and no body.</summary>
    public static (string Code, string Message) ForStatus(int status, string method, string path) => status switch
    {
        400 => (ValidationError, "The request is malformed."),
        401 => (AuthenticationRequired, "No API key was provided."),
        403 => (PermissionDenied, "The API key doesn't have the required permission."),
        404 => (NotFound, $"No resource at {method} {path}."),
        405 => (MethodNotAllowed, $"{method} is not allowed on {path}."),
        409 => (Conflict, "The request conflicts with the resource's current state."),
        413 => (PayloadTooLarge, "The request body is too large."),
        415 => (UnsupportedMediaType, "The request body must be application/json."),
        429 => (RateLimitExceeded, "Too many requests; retry later."),
        503 => (Busy, "The server is busy; retry later."),
        _ when status >= 500 => (ServerError, "An unexpected server error occurred."),
        _ => ($"http_{status}", $"The request failed with status {status}."),
    };
}
