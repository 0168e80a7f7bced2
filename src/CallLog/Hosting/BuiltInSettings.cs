using Microsoft.Extensions.Configuration.Json;

namespace CallLog.Hosting;

/// <summary>
/// The default settings (src/CallLog/appsettings.json) are embedded in the program, so a published single
/// file has them; an appsettings.json beside the program, the environment and the command line override them.
/// </summary>
internal static class BuiltInSettings
{
    public static void AddBuiltInSettings(this ConfigurationManager configuration)
    {
        var defaults = typeof(BuiltInSettings).Assembly.GetManifestResourceStream("CallLog.appsettings.json")
            ?? throw new InvalidOperationException("appsettings.json is not embedded in the program.");
        configuration.Sources.Insert(0, new JsonStreamConfigurationSource { Stream = defaults });
    }
}
