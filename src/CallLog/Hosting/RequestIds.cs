using System.Buffers;

namespace CallLog.Hosting;

/// <summary>
/// Every request gets an id: the caller's <c>X-Request-Id</c> when it is a sane token, otherwise a new
/// one. It is echoed in the response header, carried by every error body as <c>request_id</c>, and
/// written with every log line of the request (the framework's <c>RequestId</c> scope, and our request line).
/// </summary>
internal static class RequestIds
{
    public const string Header = "X-Request-Id";

    private static readonly AsyncLocal<string?> CurrentId = new();

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:");

    /// <summary>The id of the request this code runs for, or null outside a request.</summary>
    public static string? Current => CurrentId.Value;

    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var given = context.Request.Headers[Header].ToString();
        // A caller's id is reused only if it cannot smuggle anything into a log line or a header.
        var id = given.Length is > 0 and <= 64 && !given.AsSpan().ContainsAnyExcept(Allowed) ? given : context.TraceIdentifier;
        context.TraceIdentifier = id;
        context.Response.Headers[Header] = id;
        CurrentId.Value = id;
        return next(context);
    });
}
