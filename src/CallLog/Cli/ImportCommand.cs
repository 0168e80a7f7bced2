using System.CommandLine;
using System.Diagnostics;
using CallLog.Calls;
using CallLog.Calls.Import;
using Spectre.Console;

namespace CallLog.Cli;

internal static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "NDJSON file, one call per line in the API's shape; '-' reads standard input." };
        var workspace = CliSupport.WorkspaceOption();
        var events = new Option<bool>("--events")
        {
            Description = "Write each call as a PUT would, with its events (call.created, call.ended, ...), in the same transaction; slower than the default backfill, which writes none.",
        };
        var command = new Command("import", "Import calls (upsert by id). All or nothing: one bad line and nothing changes.") { file, workspace, events };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (path != "-" && !File.Exists(path))
            {
                return CliSupport.Fail($"no file '{path}'.");
            }
            if (CliSupport.Workspace(parse, workspace) is not { } name || CliSupport.OpenDatabase(parse) is not { } database)
            {
                return 1;
            }
            await using var input = path == "-" ? Console.OpenStandardInput() : File.OpenRead(path);
            using var reader = new StreamReader(input, bufferSize: 1 << 16);
            var importer = new CallImporter(database, parse.GetValue(events));
            var clock = Stopwatch.StartNew();

            ImportOutcome outcome;
            if (Console.IsErrorRedirected || !input.CanSeek)
            {
                outcome = await importer.ImportAsync(name, Ndjson.ReadAsync(reader, cancellationToken), cancellationToken);
            }
            else
            {
                // On a terminal, show how far through the file the import is (on stderr, so stdout stays clean).
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
                outcome = await console.Progress().AutoClear(true).StartAsync(async progress =>
                {
                    var task = progress.AddTask($"Importing {Path.GetFileName(path)}", maxValue: Math.Max(input.Length, 1));
                    var lines = Ndjson.ReadAsync(reader, cancellationToken).Select((line, index) =>
                    {
                        if (index % 4096 == 0)
                        {
                            task.Value = input.Position;
                        }
                        return line;
                    });
                    return await importer.ImportAsync(name, lines, cancellationToken);
                });
            }
            if (outcome.Error is { } error)
            {
                return CliSupport.Fail($"{error}. Nothing was imported.");
            }
            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
            Console.WriteLine($"Imported {CliSupport.Calls(outcome.Imported)} into workspace '{name}' in {seconds:0.0} s ({outcome.Imported / seconds:N0} calls/s).");
            return 0;
        });
        return command;
    }
}
