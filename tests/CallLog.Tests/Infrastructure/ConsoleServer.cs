using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CallLog.Tests.Infrastructure;

/// <summary>A server with demo data and keys of each kind, and one headless Chromium (Debian's) for the console tests.</summary>
public sealed class ConsoleServer : CallLogServer<SqliteStore>
{
    public const string Chromium = "/usr/bin/chromium";

    public string Reader { get; private set; } = "";
    public string CallsOnly { get; private set; } = "";
    public string Revoked { get; private set; } = "";
    public string WriteOnly { get; private set; } = "";
    public string WebhookManager { get; private set; } = "";

    /// <summary>Webhooks to a port nobody listens on fail at once and are not retried within a test.</summary>
    protected override IDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["Webhooks__AllowPrivateNetworks"] = "true",
        ["Webhooks__RetrySchedule"] = "1d",
        ["Webhooks__PollInterval"] = "00:00:00.05",
    };

    private IPlaywright? _playwright;
    public IBrowser? Browser { get; private set; }

    protected override async Task SeedAsync()
    {
        await Store.SucceedAsync("demo", "--calls", "300");
        Reader = (await Store.CreateKeyAsync("can_read_calls,can_read_agents")).Secret;
        CallsOnly = (await Store.CreateKeyAsync("can_read_calls")).Secret;
        WriteOnly = (await Store.CreateKeyAsync("can_write_calls")).Secret;
        WebhookManager = (await Store.CreateKeyAsync("can_read_calls,can_read_agents,can_manage_webhooks")).Secret;
        var (revokedId, revoked) = await Store.CreateKeyAsync("can_read_calls");
        await Store.SucceedAsync("keys", "revoke", revokedId);
        Revoked = revoked;
    }

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        if (!File.Exists(Chromium))
        {
            return;
        }
        _playwright = await Playwright.CreateAsync();
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}
