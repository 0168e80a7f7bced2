using System.CommandLine;
using CallLog.Calls;
using CallLog.Demo;
using CallLog.Hosting;
using CallLog.Keys;
using CallLog.Storage;
using CallLog.Workspaces;

namespace CallLog.Cli;

internal static class ServeCommand
{
    private const int DemoCalls = 2_000;

    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen, e.g. http://127.0.0.1:8080 (several separated by ';').",
            DefaultValueFactory = _ => "http://localhost:5080",
        };
        var demo = new Option<bool>("--demo") { Description = "Fill an empty database with demo calls and print a read-only key." };
        var command = new Command("serve", "Serve the HTTP API.") { urls, demo };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (CliSupport.OpenDatabase(parse) is not { } database)
            {
                return 1;
            }
            // Last out, after the server has stopped: closing the store's connections checkpoints SQLite's WAL.
            using var store = database;
            var listen = parse.GetValue(urls)!;
            if (parse.GetValue(demo))
            {
                await PrepareDemoAsync(database, listen, cancellationToken);
            }
            await using var app = await WebApp.BuildAsync(database, listen, cancellationToken);
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static async Task PrepareDemoAsync(Database database, string listen, CancellationToken cancellationToken)
    {
        var workspace = WorkspaceStore.Default;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            var hasCalls = await WorkspaceStore.FindAsync(connection, workspace, cancellationToken) is { } id
                && await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, new Dapper.CommandDefinition(
                    "SELECT COALESCE(SUM(calls), 0) FROM call_tallies WHERE workspace_id = @id", new { id }, cancellationToken: cancellationToken)) > 0;
            if (hasCalls)
            {
                Console.WriteLine($"Workspace '{workspace}' already has calls; no demo data added.");
            }
            else
            {
                var lines = DemoCommand.AsImportLines(DemoData.Generate(DemoCalls, seed: 1, workspace));
                var outcome = await new CallImporter(database).ImportAsync(workspace, lines, cancellationToken);
                Console.WriteLine($"Added {outcome.Imported:N0} demo calls to workspace '{workspace}'.");
            }
        }
        // Read-only, but everything the web console reads: calls, and the agents for its picker.
        var key = await new KeyStore(database).CreateAsync(workspace, "demo (read-only)",
            [Permissions.ReadCalls, Permissions.ReadAgents, Permissions.ReadContacts], null, null, cancellationToken);
        var baseUrl = listen.Split(';')[0].TrimEnd('/');
        Console.WriteLine($"""
            Read-only key, shown this once: {key.Key}
            Open {baseUrl}/ and paste it, or try:
              curl -X GET '{baseUrl}/api/v1/calls?agent_id=12345&type=outbound&page=1&limit=25' \
                -H 'Authorization: Bearer {key.Key}'
            """);
    }
}
