using System.CommandLine;
using CallLog.Calls;

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
            await using var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
            var calls = CallExport.RunAsync(database, name, filter, cancellationToken);
            await Ndjson.WriteAsync(calls, stdout, cancellationToken);
            return 0;
        });
        return command;
    }
}
