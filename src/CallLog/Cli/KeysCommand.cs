using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallLog.Keys;
using Spectre.Console;

namespace CallLog.Cli;

internal static partial class KeysCommand
{
    public static Command Create() => new("keys", "Create, list and revoke API keys.")
    {
        CreateCommand(),
        ListCommand(),
        RevokeCommand(),
    };

    private static Command CreateCommand()
    {
        var name = new Option<string>("--name") { Description = "A label for people, e.g. 'billing-sync'.", Required = true };
        var permissions = new Option<string>("--permissions") { Description = $"Comma-separated: {string.Join(", ", Permissions.All)}.", Required = true };
        var workspace = CliSupport.WorkspaceOption();
        var expiresIn = new Option<string?>("--expires-in") { Description = "Lifetime such as 30s, 15m, 12h or 90d; default: never expires." };
        var rateLimit = new Option<int?>("--rate-limit") { Description = "Requests per minute for this key; 0 means unlimited; default: the server's RateLimits:PerMinute (600)." };
        var callsPerDay = new Option<long?>("--calls-per-day") { Description = "Calls this key may place (POST /api/v1/calls) per UTC day; default: no budget." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (for scripts)." };
        var command = new Command("create", "Create a key and print its secret, once.") { name, permissions, workspace, expiresIn, rateLimit, callsPerDay, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var label = parse.GetValue(name)!.Trim();
            if (label.Length is 0 or > 200)
            {
                return CliSupport.Fail("--name must be 1-200 characters.");
            }
            if (Permissions.TryParse(parse.GetValue(permissions)!, out var granted) is { } permissionError)
            {
                return CliSupport.Fail(permissionError);
            }
            DateTimeOffset? expiresAt = null;
            if (parse.GetValue(expiresIn) is { } lifetime)
            {
                if (ParseLifetime(lifetime) is not { } span)
                {
                    return CliSupport.Fail($"--expires-in '{lifetime}' is not a lifetime: use a whole number up to 9999 and s, m, h or d, e.g. 30s, 15m, 12h, 90d.");
                }
                expiresAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.Add(span).ToUnixTimeSeconds());
            }
            var perMinute = parse.GetValue(rateLimit);
            if (perMinute < 0)
            {
                return CliSupport.Fail($"--rate-limit must be 0 (unlimited) or a positive number of requests per minute; got {perMinute}.");
            }
            var dailyCalls = parse.GetValue(callsPerDay);
            if (dailyCalls < 0)
            {
                return CliSupport.Fail($"--calls-per-day must be 0 or a positive number of calls; got {dailyCalls}.");
            }
            if (CliSupport.Workspace(parse, workspace) is not { } workspaceName || CliSupport.OpenDatabase(parse) is not { } database)
            {
                return 1;
            }
            var key = await new KeyStore(database).CreateAsync(workspaceName, label, granted, expiresAt, perMinute, cancellationToken, dailyCalls);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(key, CallLogJson.Wire.CreatedKey));
                return 0;
            }
            Console.WriteLine($"Created {key.Id} '{key.Name}' in workspace '{key.Workspace}' ({string.Join(", ", key.Permissions)}), " +
                (key.ExpiresAt is { } e ? $"expires {e:yyyy-MM-dd HH:mm:ss}Z" : "never expires") + $", {RateLimit(key.RateLimit)}.");
            Console.WriteLine("The key is shown this once; store it now:");
            Console.WriteLine(key.Key);
            return 0;
        });
        return command;
    }

    private static Command ListCommand()
    {
        var workspace = CliSupport.WorkspaceOption();
        var json = new Option<bool>("--json") { Description = "Print a JSON array (for scripts)." };
        var command = new Command("list", "List a workspace's keys. Secrets are never shown, only their prefix.") { workspace, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (CliSupport.Workspace(parse, workspace) is not { } workspaceName || CliSupport.OpenDatabase(parse) is not { } database)
            {
                return 1;
            }
            var keys = await new KeyStore(database).ListAsync(workspaceName, DateTimeOffset.UtcNow, cancellationToken);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(keys, CallLogJson.Wire.IReadOnlyListKeyInfo));
                return 0;
            }
            if (keys.Count == 0)
            {
                Console.WriteLine($"No keys in workspace '{workspaceName}'. Create one with: calllog keys create --name NAME --permissions can_read_calls");
                return 0;
            }
            var table = new Table().AddColumns("ID", "NAME", "PREFIX", "PERMISSIONS", "CREATED", "LAST USED", "EXPIRES", "RATE LIMIT", "STATE");
            foreach (var k in keys)
            {
                table.AddRow(Markup.Escape(k.Id), Markup.Escape(k.Name), Markup.Escape(k.Prefix) + "…", string.Join(", ", k.Permissions),
                    Time(k.CreatedAt), Time(k.LastUsedAt) ?? "never", Time(k.ExpiresAt) ?? "never", RateLimit(k.RateLimit), k.State);
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static Command RevokeCommand()
    {
        var id = new Argument<string>("ID") { Description = "The key's id (key_...), as keys list shows it." };
        var command = new Command("revoke", "Revoke a key; a running server refuses it from the next request on.") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (CliSupport.OpenDatabase(parse) is not { } database)
            {
                return 1;
            }
            var keyId = parse.GetValue(id)!;
            switch (await new KeyStore(database).RevokeAsync(keyId, cancellationToken))
            {
                case RevokeOutcome.Revoked:
                    Console.WriteLine($"Revoked {keyId}.");
                    return 0;
                case RevokeOutcome.AlreadyRevoked:
                    Console.WriteLine($"{keyId} was already revoked.");
                    return 0;
                default:
                    return CliSupport.Fail($"no key with id '{keyId}'. See 'calllog keys list'.");
            }
        });
        return command;
    }

    private static string RateLimit(int? perMinute) => perMinute switch
    {
        null => "server default rate limit",
        0 => "no rate limit",
        _ => $"{perMinute}/min",
    };

    [GeneratedRegex("^([1-9][0-9]{0,3})([smhd])$")] // at most 9999 of a unit: 27 years in days
    private static partial Regex Lifetime();

    internal static TimeSpan? ParseLifetime(string text)
    {
        var match = Lifetime().Match(text);
        if (!match.Success)
        {
            return null;
        }
        var amount = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromDays(amount),
        };
    }

    private static string? Time(DateTimeOffset? value) => value?.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset value) => Time((DateTimeOffset?)value)!;
}
