using System.Net;

namespace CallLog.Client;

/// <summary>
/// The server refused a request: its HTTP status, Klen's error code (<c>validation_error</c>,
/// <c>not_found</c>, <c>conflict</c>, <c>rate_limit_exceeded</c>, ...), its message, and the request id to
/// quote when asking for help.
/// </summary>
public sealed class CallLogException : Exception
{
    /// <summary>Creates the exception for one refused request.</summary>
    public CallLogException(HttpStatusCode statusCode, string errorCode, string message, string? requestId, TimeSpan? retryAfter)
        : base($"{(int)statusCode} {errorCode}: {message}")
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ErrorMessage = message;
        RequestId = requestId;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The error code from the body, e.g. <c>not_found</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>The server's message, which names what was wrong.</summary>
    public string ErrorMessage { get; }

    /// <summary>The server's id for the request (also in its log).</summary>
    public string? RequestId { get; }

    /// <summary>On 429, how long the server asked to wait (the client already waited and retried before giving up).</summary>
    public TimeSpan? RetryAfter { get; }
}
