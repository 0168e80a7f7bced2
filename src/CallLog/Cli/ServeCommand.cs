using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using CallLog.Calls;
using CallLog.Calls.Import;
using CallLog.Demo;
using CallLog.Hosting;
using CallLog.Keys;
using CallLog.Storage;
using CallLog.Workspaces;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

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
            var listen = parse.GetValue(urls)!;
            if (ListenProblem(listen) is { } problem)
            {
                return CliSupport.Fail(problem);
            }
            if (CliSupport.OpenDatabase(parse) is not { } database)
            {
                return 1;
            }
            // Last out, after the server has stopped: closing the store's connections checkpoints SQLite's WAL.
            using var store = database;
            if (parse.GetValue(demo))
            {
                await PrepareDemoAsync(database, listen, cancellationToken);
            }
            await using var app = await WebApp.BuildAsync(database, listen, cancellationToken);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException ex)
            {
                return CliSupport.Fail($"cannot listen: {ex.Message}"); // e.g. "Failed to bind to address …: address already in use."
            }
            catch (SocketException ex)
            {
                // An address this machine does not have, or a port below 1024 without the right to bind it.
                var hint = ex.SocketErrorCode == SocketError.AccessDenied ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)" : "";
                return CliSupport.Fail($"cannot listen on {listen}: {ex.Message}{hint}.");
            }
            catch (OptionsValidationException ex)
            {
                return CliSupport.Fail($"a setting is not valid: {ex.Message}");
            }
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>Each address as Kestrel will read it, with a port it can open; null when all are fine.</summary>
    private static string? ListenProblem(string listen)
    {
        if (string.IsNullOrWhiteSpace(listen))
        {
            return "--urls is empty; give an address like http://127.0.0.1:8080.";
        }
        foreach (var url in listen.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                return $"--urls: '{url}' is not an address to listen on; use one like http://127.0.0.1:8080 (several separated by ';').";
            }
            if (address.Scheme is not ("http" or "https"))
            {
                return $"--urls: '{url}' must start with http:// or https://.";
            }
            if (!address.IsUnixPipe && address.Port is < 0 or > IPEndPoint.MaxPort)
            {
                return $"--urls: the port of '{url}' must be from 0 to {IPEndPoint.MaxPort}.";
            }
        }
        return null;
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
