using System.CommandLine;
using CallLog.Calls;
using CallLog.Calls.Export;
using CallLog.Calls.Import;

namespace CallLog.Cli;

internal static class ExportCommand
{
    public static Command Create()
    {
        var workspace = CliSupport.WorkspaceOption();
        var filters = new FilterOptions();
        var command = new Command("export", "Write calls as NDJSON to standard output, newest first; import reads it back unchanged.") { workspace };
        filters.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (filters.Parse(parse) is not { } filter || CliSupport.Workspace(parse, workspace) is not { } name || CliSupport.OpenDatabase(parse) is not { } database)
            {
                return 1;
            }
            await using var console = Console.OpenStandardOutput();
            // Not disposed: WriteAsync flushes it, and after a failed write its flush would only fail again.
            var stdout = new BufferedStream(console, 1 << 16);
            try
            {
                await Ndjson.WriteAsync(CallExport.RunAsync(database, name, filter, cancellationToken), stdout, cancellationToken);
                return 0;
            }
            catch (IOException ex)
            {
                // Standard output is a full disk or a file system that went away; what was written stays written.
                return CliSupport.Fail($"writing the export failed: {ex.Message}");
            }
        });
        return command;
    }
}
