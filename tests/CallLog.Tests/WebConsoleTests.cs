using System.Text.RegularExpressions;
using CallLog.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CallLog.Tests;

/// <summary>The web console in a real browser against the real server: sign in, filter, page, open a call, sign out.</summary>
public sealed class WebConsoleTests(ConsoleServer server) : IClassFixture<ConsoleServer>
{
    private static readonly string? ScreenshotDirectory = Environment.GetEnvironmentVariable("CALLLOG_UPDATE_SCREENSHOTS") == "1"
        ? Path.Combine(Repository.Root, "docs", "screenshots")
        : null;

    private async Task<IPage> OpenAsync(ViewportSize? viewport = null, ColorScheme scheme = ColorScheme.Light)
    {
        if (server.Browser is null)
        {
            Assert.Skip($"Chromium is not installed at {ConsoleServer.Chromium} (apt: chromium); .ci/run installs it.");
        }
        var context = await server.Browser.NewContextAsync(new()
        {
            BaseURL = server.Client.BaseAddress!.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 860 },
            ColorScheme = scheme,
            TimezoneId = "UTC",
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        return page;
    }

    private static async Task SignInAsync(IPage page, string key)
    {
        await Field(page, "API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private static ILocator Rows(IPage page) => page.Locator("#calls tbody tr");

    private static ILocator Field(IPage page, string label) => page.GetByLabel(label, new() { Exact = true });

    /// <summary>Waits until the newest list load has rendered (the table is busy from the change until then).</summary>
    private static Task LoadedAsync(IPage page) => Assertions.Expect(page.Locator("#calls")).Not.ToHaveAttributeAsync("aria-busy", "true");

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (ScreenshotDirectory is not null)
        {
            Directory.CreateDirectory(ScreenshotDirectory);
            await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, name), FullPage = false });
        }
    }

    [Fact]
    public async Task SignInShowsTheNewestCallsWithTheTotalAndKeepsTheKeyOutOfTheUrl()
    {
        var page = await OpenAsync();
        await ScreenshotAsync(page, "sign-in.png");

        await SignInAsync(page, server.Reader);

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Showing 1–25 of 300 calls");
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(25);
        Assert.DoesNotContain("klen_", page.Url, StringComparison.Ordinal);
        Assert.Equal(server.Reader, await page.EvaluateAsync<string>("() => sessionStorage.getItem('calllog.key')"));
        // The agent picker is filled from the agents endpoint, with call counts.
        Assert.True(await page.Locator("#f-agent option").CountAsync() > 2);
        await ScreenshotAsync(page, "calls.png");
    }

    [Fact]
    public async Task FiltersLiveInTheUrlAndSurviveAReload()
    {
        var page = await OpenAsync();
        await SignInAsync(page, server.Reader);
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(25);

        await Field(page, "Status").SelectOptionAsync("failed");
        await Field(page, "Direction").SelectOptionAsync("inbound");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("status=failed&type=inbound"));
        await LoadedAsync(page);
        var statuses = await page.Locator("#calls tbody .badge").AllTextContentsAsync();
        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.Equal("Failed", s));
        Assert.All(await page.Locator("#calls tbody td[data-label=Direction]").AllTextContentsAsync(), d => Assert.Equal("Inbound", d));
        var shown = await page.GetByRole(AriaRole.Status).TextContentAsync();

        await page.ReloadAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(shown!);
        await Assertions.Expect(Field(page, "Status")).ToHaveValueAsync("failed");
        Assert.DoesNotContain("klen_", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAndDateRangeNarrowTheListAndAnEmptyResultSaysSo()
    {
        var page = await OpenAsync();
        await SignInAsync(page, server.Reader);
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(25);

        await Field(page, "From (UTC)").FillAsync("2025-06-30");
        await Field(page, "To (UTC)").FillAsync("2025-06-30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("from=2025-06-30&to=2025-06-30"));
        await LoadedAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(new Regex("^Showing 1–\\d+ of \\d+ calls$"));
        Assert.All(await page.Locator("#calls tbody td[data-label=Started] button").AllTextContentsAsync(),
            t => Assert.StartsWith("Jun 30, 2025", t, StringComparison.Ordinal));

        await Field(page, "Search").FillAsync("no call ever says this");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Assertions.Expect(page.GetByText("No calls match these filters.").First).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Clear filters" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Showing 1–25 of 300 calls");
    }

    [Fact]
    public async Task PagingMovesThroughTheListAndBack()
    {
        var page = await OpenAsync();
        await SignInAsync(page, server.Reader);
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(25);
        var firstOnPage1 = await Rows(page).First.GetAttributeAsync("data-id");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "← Previous" })).ToBeDisabledAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Next →" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Showing 26–50 of 300 calls");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("page=2"));
        Assert.NotEqual(firstOnPage1, await Rows(page).First.GetAttributeAsync("data-id"));
        await page.GoBackAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Showing 1–25 of 300 calls");
        Assert.Equal(firstOnPage1, await Rows(page).First.GetAttributeAsync("data-id"));
    }

    [Fact]
    public async Task OpeningACallShowsEverythingWithThePlayableRecordingAndEscapeCloses()
    {
        var page = await OpenAsync();
        await SignInAsync(page, server.Reader);
        await Field(page, "Status").SelectOptionAsync("completed");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("status=completed"));
        await LoadedAsync(page);
        var row = Rows(page).First;
        var id = await row.GetAttributeAsync("data-id");

        var opener = row.Locator("button.open");
        await opener.FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog.GetByText(id!)).ToBeVisibleAsync();
        var audio = dialog.Locator("audio[controls]");
        await Assertions.Expect(audio).ToHaveCountAsync(1);
        Assert.StartsWith("https://storage.example.com/recordings/", await audio.GetAttributeAsync("src"), StringComparison.Ordinal);
        await Assertions.Expect(dialog.GetByText("No transcript for this call.")).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"call={id}"));
        await ScreenshotAsync(page, "call.png");

        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(opener).ToBeFocusedAsync();
        // The dialog's close event, which takes call= out of the URL, is queued after it hides: wait for it.
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("call="));
    }

    [Fact]
    public async Task SignOutForgetsTheKey()
    {
        var page = await OpenAsync();
        await SignInAsync(page, server.Reader);
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(25);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Assertions.Expect(Field(page, "API key")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('calllog.key')"));
        await page.ReloadAsync();
        await Assertions.Expect(Field(page, "API key")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task WrongRevokedAndReadlessKeysGetAClearMessage()
    {
        var page = await OpenAsync();
        var error = page.Locator("#sign-in-error");

        await SignInAsync(page, "klen_0000000000000000000000000000000000000000");
        await Assertions.Expect(error).ToHaveTextAsync("This key was not accepted: The API key is invalid or inactive.");
        await SignInAsync(page, server.Revoked);
        await Assertions.Expect(error).ToHaveTextAsync("This key was not accepted: The API key has been revoked.");
        await SignInAsync(page, server.WriteOnly);
        await Assertions.Expect(error).ToContainTextAsync("This key may not read calls.");

        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('calllog.key')"));
        Assert.DoesNotContain(server.Log, server.Revoked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWebhooksPageShowsEndpointsAndDeliveriesAndRedelivers()
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks")
        {
            Content = new StringContent("""{"url":"http://127.0.0.1:9/console-hook","events":["call.*"],"description":"console"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        create.Headers.Authorization = new("Bearer", server.WebhookManager);
        using var created = await server.Client.SendAsync(create, TestContext.Current.CancellationToken);
        var webhook = (await created.JsonAsync(System.Net.HttpStatusCode.Created)).GetProperty("id").GetString()!;
        using var test = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/test");
        test.Headers.Authorization = new("Bearer", server.WebhookManager);
        using (await server.Client.SendAsync(test, TestContext.Current.CancellationToken))
        {
        }

        var page = await OpenAsync();
        await SignInAsync(page, server.WebhookManager);
        await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("view=webhooks"));
        var endpoint = page.Locator($"#webhooks tbody tr[data-id={webhook}]");
        await Assertions.Expect(endpoint.Locator("td[data-label=State]")).ToHaveTextAsync("Enabled");
        await Assertions.Expect(endpoint.Locator("td[data-label=Events]")).ToHaveTextAsync("call.*");

        await page.GetByRole(AriaRole.Button, new() { Name = "Show deliveries to http://127.0.0.1:9/console-hook" }).ClickAsync();
        var deliveries = page.Locator("#deliveries tbody tr");
        await Assertions.Expect(deliveries).ToHaveCountAsync(1);
        // The attempt is made within moments; the page shows it once reloaded.
        for (var tries = 0; await deliveries.First.Locator("td[data-label=Answer]").TextContentAsync() != "connection refused" && tries < 50; tries++)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            await page.ReloadAsync();
            await Assertions.Expect(deliveries).ToHaveCountAsync(1);
        }
        await Assertions.Expect(deliveries.First.Locator("td[data-label=Answer]")).ToHaveTextAsync("connection refused");
        await Assertions.Expect(deliveries.First.Locator("td[data-label=Event]")).ToContainTextAsync("webhook.test");
        await Assertions.Expect(deliveries.First.Locator("td[data-label=Attempts]")).ToHaveTextAsync("1");

        await deliveries.First.GetByRole(AriaRole.Button, new() { Name = "Redeliver" }).ClickAsync();
        await Assertions.Expect(page.Locator("#deliveries-status")).ToHaveTextAsync(new Regex("^Queued webhook.test again as dlv_\\d+\\.$"));
        await Assertions.Expect(deliveries).ToHaveCountAsync(2);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await SignInAsync(page, server.Reader);
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(25);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Webhooks" })).ToBeHiddenAsync();
    }

    [Fact]
    public async Task AKeyWithoutAgentsStillFiltersByAgentWithATextField()
    {
        var page = await OpenAsync();
        await SignInAsync(page, server.CallsOnly);
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(25);

        var agent = Field(page, "Agent");
        await Assertions.Expect(agent).ToHaveAttributeAsync("type", "text");
        await agent.FillAsync("12345");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("agent_id=12345"));
        await LoadedAsync(page);
        Assert.All(await page.Locator("#calls tbody td[data-label=Agent]").AllTextContentsAsync(), a => Assert.Equal("Sales Representative", a));
    }

    [Fact]
    public async Task OnAPhoneSizedScreenEachCallIsACardAndDarkModeFollowsTheSystem()
    {
        var page = await OpenAsync(new ViewportSize { Width = 390, Height = 844 }, ColorScheme.Dark);
        await SignInAsync(page, server.Reader);
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(25);

        // No sideways scrolling, and the table header is only for screen readers.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        await Assertions.Expect(page.Locator("#calls thead")).ToHaveCSSAsync("position", "absolute");
        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.documentElement).backgroundColor");
        Assert.Equal("rgb(17, 20, 24)", background);
        await page.Locator("#status").ScrollIntoViewIfNeededAsync();
        await page.EvaluateAsync("() => document.getElementById('status').scrollIntoView({ block: 'start' })");
        await ScreenshotAsync(page, "calls-phone-dark.png");
    }
}
