using System.Text.Json;
using ZLogger;

namespace CallLog.Hosting;

/// <summary>
/// Log lines on standard output through ZLogger, one line each: plain text, or JSON with
/// <c>Logging__Console__FormatterName=json</c> (the message's properties under <c>State</c>, as
/// Microsoft's JSON console formatter has them; the request's scope, with its <c>RequestId</c>, as
/// top-level properties). Microsoft's
/// console logger writes each line itself behind one lock, which with a line per request bounds the
/// server's throughput; ZLogger formats into pooled buffers and writes them in batches (docs/storage.md).
/// </summary>
internal static class ConsoleLogs
{
    public static ILoggingBuilder AddConsoleLogs(this ILoggingBuilder logging, IConfiguration configuration)
    {
        var json = string.Equals(configuration["Logging:Console:FormatterName"], "json", StringComparison.OrdinalIgnoreCase);
        logging.ClearProviders();
        logging.AddZLoggerConsole(options =>
        {
            options.IncludeScopes = true;
            if (json)
            {
                options.UseJsonFormatter(formatter => formatter.PropertyKeyValuesObjectName = JsonEncodedText.Encode("State"));
            }
            else
            {
                options.UsePlainTextFormatter(formatter => formatter.SetPrefixFormatter(
                    $"{0}: {1}: ", (in MessageTemplate template, in LogInfo info) => template.Format(Level(info.LogLevel), info.Category)));
            }
        });
        return logging;
    }

    /// <summary>The level as Microsoft's plain console format writes it.</summary>
    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
