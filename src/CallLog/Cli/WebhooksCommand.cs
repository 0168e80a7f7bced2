using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CallLog.Hosting;
using CallLog.Storage;
using CallLog.Webhooks;
using CallLog.Workspaces;
using Spectre.Console;

namespace CallLog.Cli;

/// <summary><c>webhooks</c>: the API's webhook endpoints and delivery log, on the store directly. A running server sends what is queued.</summary>
internal static class WebhooksCommand
{
    public static Command Create() => new("webhooks", "Create, list and delete webhook endpoints; read and redeliver their deliveries.")
    {
        CreateCommand(),
        ListCommand(),
        DeleteCommand(),
        DeliveriesCommand(),
        RedeliverCommand(),
    };

    private static Option<bool> Json() => new("--json") { Description = "Print JSON (for scripts)." };

    private static Command CreateCommand()
    {
        var url = new Option<string>("--url") { Description = "Where events are POSTed: an absolute http:// or https:// URL.", Required = true };
        var events = new Option<string>("--events") { Description = "Event types joined by commas; call.* for every call event, * for all.", Required = true };
        var description = new Option<string?>("--description") { Description = "A label for people." };
        var workspace = CliSupport.WorkspaceOption();
        var json = Json();
        var command = new Command("create", "Create an endpoint and print its signing secret, once.") { url, events, description, workspace, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = parse.GetValue(url)!;
            List<string> subscribed = [.. parse.GetValue(events)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];
            var label = parse.GetValue(description);
            if (WebhookRules.CheckUrl(target) is { } urlProblem)
            {
                return CliSupport.Fail($"--url {urlProblem}.");
            }
            if (WebhookRules.CheckEvents(subscribed) is { } eventsProblem)
            {
                return CliSupport.Fail($"--events {eventsProblem}.");
            }
            if (label is { Length: > WebhookRules.MaxDescriptionLength })
            {
                return CliSupport.Fail($"--description must be at most {WebhookRules.MaxDescriptionLength} characters.");
            }
            if (await WebhookRules.CheckReachableAsync(target, Settings().AllowPrivateNetworks, cancellationToken) is { } refusal)
            {
                return CliSupport.Fail($"--url cannot be used: {refusal}.");
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
            var created = await new WebhookStore(database, TimeProvider.System).CreateAsync(workspaceId, target, subscribed, label, cancellationToken);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(created, CallLogJson.Wire.CreatedWebhook));
                return 0;
            }
            Console.WriteLine($"Created {created.Id} in workspace '{workspaceName}': {string.Join(", ", created.Events)} to {created.Url}.");
            Console.WriteLine("The signing secret is shown this once; store it where the receiver can verify signatures:");
            Console.WriteLine(created.Secret);
            return 0;
        });
        return command;
    }

    private static Command ListCommand()
    {
        var workspace = CliSupport.WorkspaceOption();
        var json = Json();
        var command = new Command("list", "List a workspace's endpoints; secrets are never shown.") { workspace, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (CliSupport.Workspace(parse, workspace) is not { } workspaceName || CliSupport.OpenDatabase(parse) is not { } database)
            {
                return 1;
            }
            long? workspaceId;
            await using (var connection = await database.OpenAsync(cancellationToken))
            {
                workspaceId = await WorkspaceStore.FindAsync(connection, workspaceName, cancellationToken);
            }
            var webhooks = workspaceId is { } id ? await new WebhookStore(database, TimeProvider.System).ListAsync(id, cancellationToken) : [];
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new WebhookList(webhooks), CallLogJson.Wire.WebhookList));
                return 0;
            }
            if (webhooks.Count == 0)
            {
                Console.WriteLine($"No webhook endpoints in workspace '{workspaceName}'. Create one with: calllog webhooks create --url URL --events call.*");
                return 0;
            }
            var table = new Table().AddColumns("ID", "URL", "EVENTS", "STATE", "CREATED", "DESCRIPTION");
            foreach (var w in webhooks)
            {
                table.AddRow(Markup.Escape(w.Id), Markup.Escape(w.Url), Markup.Escape(string.Join(", ", w.Events)),
                    w.Enabled ? "enabled" : $"disabled ({w.DisabledReason})", Time(w.CreatedAt), Markup.Escape(w.Description ?? ""));
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static Command DeleteCommand()
    {
        var id = new Argument<string>("ID") { Description = "The endpoint's id (wh_...), as webhooks list shows it." };
        var command = new Command("delete", "Delete an endpoint and its delivery log.") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (CliSupport.OpenDatabase(parse) is not { } database)
            {
                return 1;
            }
            var webhookId = parse.GetValue(id)!;
            var store = new WebhookStore(database, TimeProvider.System);
            if (await store.WorkspaceOfAsync(webhookId, cancellationToken) is not { } workspaceId || !await store.DeleteAsync(workspaceId, webhookId, cancellationToken))
            {
                return CliSupport.Fail($"no webhook endpoint with id '{webhookId}'. See 'calllog webhooks list'.");
            }
            Console.WriteLine($"Deleted {webhookId}.");
            return 0;
        });
        return command;
    }

    private static Command DeliveriesCommand()
    {
        var id = new Argument<string>("ID") { Description = "The endpoint's id (wh_...)." };
        var status = new Option<string?>("--status") { Description = "Only pending, succeeded or failed deliveries." };
        status.AcceptOnlyFromAmong(DeliveryStatus.All);
        var limit = new Option<int>("--limit") { Description = "How many, newest first (1-100).", DefaultValueFactory = _ => 25 };
        var json = Json();
        var command = new Command("deliveries", "An endpoint's latest deliveries, newest first.") { id, status, limit, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var count = parse.GetValue(limit);
            if (count is < 1 or > 100)
            {
                return CliSupport.Fail($"--limit must be 1-100; got {count}.");
            }
            if (CliSupport.OpenDatabase(parse) is not { } database)
            {
                return 1;
            }
            var webhookId = parse.GetValue(id)!;
            if (await new WebhookStore(database, TimeProvider.System).WorkspaceOfAsync(webhookId, cancellationToken) is null)
            {
                return CliSupport.Fail($"no webhook endpoint with id '{webhookId}'. See 'calllog webhooks list'.");
            }
            var page = await new DeliveryLog(database, TimeProvider.System).ListAsync(webhookId, parse.GetValue(status), null, count, cancellationToken);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(page, CallLogJson.Wire.DeliveryPage));
                return 0;
            }
            if (page.Deliveries.Count == 0)
            {
                Console.WriteLine($"No deliveries for {webhookId}.");
                return 0;
            }
            // Narrow enough for 80 columns; --json has every field.
            var table = new Table().AddColumns("ID", "TYPE", "STATUS", "TRIES", "LAST TRY (UTC)", "ANSWER");
            foreach (var d in page.Deliveries)
            {
                var answer = d.ResponseStatus is { } code ? $"{code} in {d.LatencyMs} ms" : d.Error ?? "-";
                table.AddRow(d.Id, d.EventType, d.Status, d.Attempts.ToString(CultureInfo.InvariantCulture), d.LastAttemptAt is { } t ? t.ToString("MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-", Markup.Escape(answer));
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static Command RedeliverCommand()
    {
        var id = new Argument<string>("DELIVERY_ID") { Description = "The delivery's id (dlv_...), as webhooks deliveries shows it." };
        var command = new Command("redeliver", "Queue a delivery's event again, now, with the same webhook-id; a running server sends it.") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (CliSupport.OpenDatabase(parse) is not { } database)
            {
                return 1;
            }
            var deliveryId = parse.GetValue(id)!;
            var log = new DeliveryLog(database, TimeProvider.System);
            if (DeliveryLog.ParseId(deliveryId) is not { } number || await log.WebhookOfAsync(number, cancellationToken) is not { } webhookId
                || await log.RedeliverAsync(webhookId, number, cancellationToken) is not { } queued)
            {
                return CliSupport.Fail($"no delivery with id '{deliveryId}'. See 'calllog webhooks deliveries ID'.");
            }
            Console.WriteLine($"Queued {queued.Id}: {queued.EventType} {queued.EventId} to {webhookId} again.");
            return 0;
        });
        return command;
    }

    /// <summary>The <c>Webhooks</c> settings as serve would read them: built in, appsettings.json beside the program, the environment.</summary>
    private static WebhookOptions Settings()
    {
        var configuration = new ConfigurationManager();
        configuration.AddBuiltInSettings();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        configuration.AddEnvironmentVariables();
        return configuration.GetSection("Webhooks").Get<WebhookOptions>() ?? new WebhookOptions();
    }

    private static string Time(DateTimeOffset value) => value.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
