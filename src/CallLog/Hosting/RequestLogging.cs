using System.Diagnostics;
using System.Text;
using CallLog.Authentication;

namespace CallLog.Hosting;

/// <summary>
/// One log line per request. It replaces the framework's "Request starting" line, which prints the raw
/// query string and with it any <c>api_key</c> a Klen client put there: keys never reach a log.
/// </summary>
internal static class RequestLogging
{
    public const string Category = "CallLog.Requests";

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("{Method} {Path}{Query} responded {StatusCode} in {ElapsedMs:0.0} ms to {Client} [{RequestId}]",
                        context.Request.Method, context.Request.Path.Value, Redacted(context.Request.Query),
                        context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                        context.Connection.RemoteIpAddress?.ToString(), context.TraceIdentifier);
                }
            }
        });
    }

    public static string Redacted(IQueryCollection query)
    {
        if (query.Count == 0)
        {
            return "";
        }
        var text = new StringBuilder();
        foreach (var (name, values) in query)
        {
            foreach (var value in values)
            {
                text.Append(text.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=');
                text.Append(string.Equals(name, ApiKeyDefaults.QueryParameter, StringComparison.OrdinalIgnoreCase)
                    ? "[redacted]"
                    : Uri.EscapeDataString(value ?? ""));
            }
        }
        return text.ToString();
    }
}
