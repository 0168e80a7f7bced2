using System.CommandLine;
using System.Diagnostics;
using CallLog.Calls;
using CallLog.Calls.Import;
using CallLog.Demo;

namespace CallLog.Cli;

internal static class DemoCommand
{
    public static Command Create()
    {
        var calls = new Option<int>("--calls") { Description = "How many calls to generate.", DefaultValueFactory = _ => 1_000 };
        var seed = new Option<int>("--seed") { Description = "The same seed always gives the same calls.", DefaultValueFactory = _ => 1 };
        var workspace = CliSupport.WorkspaceOption();
        var command = new Command("demo", "Generate realistic demo calls (agents, contacts, summaries, recordings).") { calls, seed, workspace };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var count = parse.GetValue(calls);
            if (count < 1)
            {
                return CliSupport.Fail("--calls must be at least 1.");
            }
            if (CliSupport.Workspace(parse, workspace) is not { } name || CliSupport.OpenDatabase(parse) is not { } database)
            {
                return 1;
            }
            var clock = Stopwatch.StartNew();
            var lines = AsImportLines(DemoData.Generate(count, parse.GetValue(seed), name));
            var outcome = await new CallImporter(database).ImportAsync(name, lines, cancellationToken);
            Console.WriteLine($"Generated {CliSupport.Calls(outcome.Imported)} in workspace '{name}' in {clock.Elapsed.TotalSeconds:0.0} s ({outcome.Imported / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0} calls/s).");
            return 0;
        });
        return command;
    }

    public static IAsyncEnumerable<ImportLine> AsImportLines(IEnumerable<Call> calls) =>
        calls.Select((call, index) => new ImportLine(index + 1, call, null)).ToAsyncEnumerable();
}
