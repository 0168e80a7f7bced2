using System.CommandLine;
using System.Text.Json;
using CallLog.Dialing;
using CallLog.Json;
using CallLog.Workspaces;

namespace CallLog.Cli;

/// <summary><c>campaigns create</c>: a campaign whose recipients come from an NDJSON file, on the store directly.</summary>
internal static class CampaignsCommand
{
    public static Command Create() => new("campaigns", "Campaigns: many calls placed at once for one agent.") { CreateCommand() };

    private static Command CreateCommand()
    {
        var file = new Option<string>("--file") { Description = "NDJSON, one recipient a line: {\"phone_number\":\"+1...\",\"contact_id\":1,\"variables\":{...},\"metadata\":{...}}; - for standard input.", Required = true };
        var name = new Option<string>("--name") { Description = "The campaign's name.", Required = true };
        var agentId = new Option<string>("--agent-id") { Description = "An agent of the workspace.", Required = true };
        var fromNumber = new Option<string?>("--from-number") { Description = "The number to call from, E.164." };
        var maxConcurrent = new Option<long?>("--max-concurrent-calls") { Description = "The campaign's calls leased or in progress at once." };
        var workspace = CliSupport.WorkspaceOption();
        var command = new Command("create", "Create a campaign: every line of FILE becomes a queued call (numbers on the do-not-call list are skipped). All or nothing.")
        {
            file, name, agentId, fromNumber, maxConcurrent, workspace,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The options are checked as the API checks a campaign's fields.
            var settings = new System.Text.Json.Nodes.JsonObject
            {
                ["name"] = parse.GetValue(name),
                ["agent_id"] = parse.GetValue(agentId),
                ["from_number"] = parse.GetValue(fromNumber),
                ["max_concurrent_calls"] = parse.GetValue(maxConcurrent),
            };
            using var options = JsonDocument.Parse(settings.ToJsonString());
            var fields = new JsonFields("--");
            if (CampaignReader.Settings(fields, options.RootElement, DateTimeOffset.UtcNow) is not { } campaign)
            {
                return CliSupport.Fail($"{fields.First!.Replace("_", "-", StringComparison.Ordinal)}.");
            }
            var path = parse.GetValue(file)!;
            if (path != "-" && !File.Exists(path))
            {
                return CliSupport.Fail($"{path}: no such file.");
            }
            var recipients = new List<Recipient>();
            using (var reader = path == "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(path))
            {
                var number = 0;
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    number++;
                    if (line.Trim().Length == 0)
                    {
                        continue;
                    }
                    var e = new JsonFields();
                    Recipient? recipient;
                    try
                    {
                        using var document = JsonDocument.Parse(line);
                        recipient = CampaignReader.Recipient(e, document.RootElement);
                    }
                    catch (JsonException)
                    {
                        return CliSupport.Fail($"line {number}: not valid JSON; nothing was created.");
                    }
                    if (recipient is null)
                    {
                        return CliSupport.Fail($"line {number}: {e.First}; nothing was created.");
                    }
                    recipients.Add(recipient);
                    if (recipients.Count > CampaignStore.MaxRecipients)
                    {
                        return CliSupport.Fail($"more than {CampaignStore.MaxRecipients:N0} recipients; split the file into several campaigns.");
                    }
                }
            }
            if (recipients.Count == 0)
            {
                return CliSupport.Fail($"{path} has no recipients.");
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
            if (await new CampaignStore(database).CreateAsync(workspaceId, campaign, recipients, cancellationToken) is not { } created)
            {
                return CliSupport.Fail($"no agent with id '{campaign.AgentId}' in workspace '{workspaceName}'.");
            }
            Console.WriteLine($"Created {created.Id} '{created.Name}' in workspace '{workspaceName}': {created.Counts.Queued} calls queued, {created.Skipped} skipped (do-not-call).");
            return 0;
        });
        return command;
    }
}
