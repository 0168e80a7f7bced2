using System.CommandLine;
using CallLog.Dialing;
using CallLog.Json;
using CallLog.Workspaces;

namespace CallLog.Cli;

/// <summary><c>dnc</c>: the workspace's do-not-call list, on the store directly.</summary>
internal static class DncCommand
{
    public static Command Create() => new("dnc", "The do-not-call list: numbers no placed call is dialed to.") { ImportCommand() };

    private static Command ImportCommand()
    {
        var file = new Argument<string>("FILE") { Description = "One E.164 number a line (blank lines and lines starting with # are skipped); - for standard input." };
        var workspace = CliSupport.WorkspaceOption();
        var command = new Command("import", "Add the numbers in FILE to the list; nothing is added if one line is not a number.") { file, workspace };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (path != "-" && !File.Exists(path))
            {
                return CliSupport.Fail($"{path}: no such file.");
            }
            var numbers = new List<string>();
            using (var reader = path == "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(path))
            {
                var number = 0;
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    number++;
                    var text = line.Trim();
                    if (text.Length == 0 || text.StartsWith('#'))
                    {
                        continue;
                    }
                    if (!JsonFields.IsPhone(text))
                    {
                        return CliSupport.Fail($"line {number}: '{JsonFields.Clip(text)}' is not an E.164 number like +15551234567; nothing was added.");
                    }
                    numbers.Add(text);
                }
            }
            if (CliSupport.Workspace(parse, workspace) is not { } workspaceName || CliSupport.OpenDatabase(parse) is not { } database)
            {
                return 1;
            }
            long workspaceId;
            await using (var connection = await database.OpenAsync(cancellationToken))
            {
                workspaceId = await WorkspaceStore.EnsureAsync(connection, null, workspaceName, cancellationToken);
            }
            var added = await new DoNotCallList(database).AddAsync(workspaceId, numbers, cancellationToken);
            Console.WriteLine($"Added {added} number(s) to the do-not-call list of workspace '{workspaceName}' ({numbers.Count - added} already there).");
            return 0;
        });
        return command;
    }
}
