using System.CommandLine;
using CallLog.Calls;

namespace CallLog.Cli;

internal static class ExportCommand
{
    public static Command Create()
    {
        var workspace = CliSupport.WorkspaceOption();
        var status = new Option<string?>("--status") { Description = $"Only calls with this status: {CallEnums.StatusNames}." };
        var type = new Option<string?>("--type") { Description = $"Only calls of this type: {CallEnums.TypeNames}." };
        var agentId = new Option<string?>("--agent-id") { Description = "Only this agent's calls (an id, or the number of assistant_<number>)." };
        var command = new Command("export", "Write calls as NDJSON to standard output, newest first; import reads it back unchanged.")
        {
            workspace, status, type, agentId,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CallStatus? statusFilter = null;
            if (parse.GetValue(status) is { } s)
            {
                if (!CallEnums.TryParseStatus(s, out var parsed))
                {
                    return CliSupport.Fail($"--status must be one of {CallEnums.StatusNames}.");
                }
                statusFilter = parsed;
            }
            CallType? typeFilter = null;
            if (parse.GetValue(type) is { } t)
            {
                if (!CallEnums.TryParseType(t, out var parsed))
                {
                    return CliSupport.Fail($"--type must be one of {CallEnums.TypeNames}.");
                }
                typeFilter = parsed;
            }
            if (CliSupport.Workspace(parse, workspace) is not { } name || CliSupport.OpenDatabase(parse) is not { } database)
            {
                return 1;
            }
            await using var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
            var calls = CallExport.RunAsync(database, name, parse.GetValue(agentId), statusFilter, typeFilter, cancellationToken);
            await Ndjson.WriteAsync(calls, stdout, cancellationToken);
            return 0;
        });
        return command;
    }
}
