using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>Campaigns: many calls placed at once, dialed only while active, inside their window, within their limit.</summary>
public abstract class CampaignsTests<TStore>(DialingServer<TStore> server) where TStore : TestStore, new()
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly string[] Days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    private static string Recipients(IEnumerable<string> phones) =>
        "[" + string.Join(",", phones.Select((p, i) => $$$"""{"phone_number":"{{{p}}}","variables":{"n":{{{i}}}}}""")) + "]";

    private async Task<JsonElement> CreateAsync(string agent, string recipients, string extra = "", HttpStatusCode expected = HttpStatusCode.Created) =>
        await server.JsonAsync(HttpMethod.Post, "/api/v1/campaigns", server.Placer, expected,
            $$"""{"name":"Spring","agent_id":"{{agent}}","recipients":{{recipients}}{{extra}}}""");

    private static string Numbers(int count, out List<string> phones)
    {
        phones = [.. Enumerable.Range(0, count).Select(_ => PhoneNumbers.Fresh())];
        return Recipients(phones);
    }

    [Fact]
    public async Task ACampaignOfAHundredThousandRecipientsQueuesEachAndSkipsTheDoNotCallList()
    {
        var agent = await server.AgentAsync();
        var prefix = Random.Shared.Next(100, 999);
        var phones = Enumerable.Range(0, 100_000).Select(i => $"+1{prefix}{i:D7}").ToList();
        foreach (var blocked in new[] { phones[10], phones[99_999] })
        {
            await server.JsonAsync(HttpMethod.Put, $"/api/v1/do-not-call/{Uri.EscapeDataString(blocked)}", server.Placer, HttpStatusCode.Created);
        }
        var clock = Stopwatch.StartNew();
        var campaign = await CreateAsync(agent, Recipients(phones));
        TestContext.Current.SendDiagnosticMessage($"100,000 recipients: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(100_000, campaign.GetProperty("recipients").GetInt64());
        Assert.Equal(2, campaign.GetProperty("skipped").GetInt64());
        Assert.Equal(99_998, campaign.GetProperty("counts").GetProperty("queued").GetInt64());
        Assert.Equal("active", campaign.GetProperty("state").GetString());
        var id = campaign.GetProperty("id").GetString()!;
        var listed = await server.JsonAsync(HttpMethod.Get, $"/api/v1/calls?campaign_id={id}&limit=1", server.Placer, HttpStatusCode.OK);
        Assert.Equal(99_998, listed.GetProperty("count").GetInt64());
        var call = listed.GetProperty("calls")[0];
        Assert.Equal("queued", call.GetProperty("status").GetString());
        Assert.Equal(agent, call.GetProperty("agent_id").GetString());
    }

    [Fact]
    public async Task ARecipientThatIsNotValidRefusesTheWholeCampaignNamingItsIndex()
    {
        var agent = await server.AgentAsync();
        var recipients = $$"""[{"phone_number":"{{PhoneNumbers.Fresh()}}"},{"phone_number":"{{PhoneNumbers.Fresh()}}"},{"phone_number":"555"}]""";
        var refused = await CreateAsync(agent, recipients, expected: HttpStatusCode.BadRequest);
        Assert.Contains("recipients[2].phone_number", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        var nothing = await server.JsonAsync(HttpMethod.Get, $"/api/v1/calls?agent_id={agent}&limit=1", server.Placer, HttpStatusCode.OK);
        Assert.Equal(0, nothing.GetProperty("count").GetInt64());

        var window = await CreateAsync(agent, Numbers(1, out _), ""","calling_window":{"start":"18:00","end":"09:00","timezone":"America/New_York"}""", HttpStatusCode.BadRequest);
        Assert.Contains("calling_window.end", window.GetProperty("message").GetString(), StringComparison.Ordinal);
        var zone = await CreateAsync(agent, Numbers(1, out _), ""","calling_window":{"start":"09:00","end":"18:00","timezone":"Mars/Olympus"}""", HttpStatusCode.BadRequest);
        Assert.Contains("calling_window.timezone", zone.GetProperty("message").GetString(), StringComparison.Ordinal);
        await CreateAsync("agent_nobody", Numbers(1, out _), expected: HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ClaimsFollowACampaignsLimitPauseAndCancel()
    {
        var agent = await server.AgentAsync();
        var campaign = await CreateAsync(agent, Numbers(5, out _), ""","max_concurrent_calls":2""");
        var id = campaign.GetProperty("id").GetString()!;
        Assert.Equal(5, campaign.GetProperty("counts").GetProperty("queued").GetInt64());

        var leased = await server.ClaimAsync(agent, limit: 10);
        Assert.Equal(2, leased.Count);
        Assert.Empty(await server.ClaimAsync(agent));
        await server.PatchAsync(leased[0], """{"status":"in-progress"}""");
        await server.PatchAsync(leased[0], $$"""{"status":"completed","ended_at":"{{KnownCalls.Stamp(DateTimeOffset.UtcNow.AddSeconds(1))}}"}""");
        Assert.Single(await server.ClaimAsync(agent));

        Assert.Equal("paused", (await server.JsonAsync(HttpMethod.Post, $"/api/v1/campaigns/{id}/pause", server.Placer, HttpStatusCode.OK)).GetProperty("state").GetString());
        await server.JsonAsync(HttpMethod.Post, $"/api/v1/dial-queue/{leased[1]}/release", server.Runtime, HttpStatusCode.OK);
        Assert.Empty(await server.ClaimAsync(agent));
        await server.JsonAsync(HttpMethod.Post, $"/api/v1/campaigns/{id}/resume", server.Placer, HttpStatusCode.OK);
        Assert.Single(await server.ClaimAsync(agent));

        // Canceled: what waits is canceled at once; a call given back later is canceled when it is next due.
        var canceled = await server.JsonAsync(HttpMethod.Post, $"/api/v1/campaigns/{id}/cancel", server.Placer, HttpStatusCode.OK);
        var counts = canceled.GetProperty("counts");
        Assert.Equal("canceled", canceled.GetProperty("state").GetString());
        Assert.Equal(1, counts.GetProperty("completed").GetInt64());
        Assert.Equal(2, counts.GetProperty("queued").GetInt64()); // the two still leased
        Assert.Equal(2, counts.GetProperty("canceled").GetInt64());
        var held = await server.JsonAsync(HttpMethod.Get, $"/api/v1/calls?campaign_id={id}&status=queued", server.Placer, HttpStatusCode.OK);
        var back = held.GetProperty("calls")[0].GetProperty("id").GetString()!;
        await server.JsonAsync(HttpMethod.Post, $"/api/v1/dial-queue/{back}/release", server.Runtime, HttpStatusCode.OK);
        Assert.Empty(await server.ClaimAsync(agent));
        var after = await server.CallAsync(back);
        Assert.Equal("canceled", after.GetProperty("status").GetString());
        Assert.Equal("campaign_canceled", after.GetProperty("metadata").GetProperty("cancel_reason").GetString());
        using var resume = await server.SendAsync(HttpMethod.Post, $"/api/v1/campaigns/{id}/resume", server.Placer);
        await resume.ErrorAsync(HttpStatusCode.Conflict, "conflict");

        var list = await server.JsonAsync(HttpMethod.Get, "/api/v1/campaigns?limit=100", server.Placer, HttpStatusCode.OK);
        Assert.Contains(list.GetProperty("campaigns").EnumerateArray(), c => c.GetProperty("id").GetString() == id);
        using var missing = await server.SendAsync(HttpMethod.Get, "/api/v1/campaigns/cmp_nothing", server.Placer);
        await missing.ErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    /// <summary>
    /// The window is the zone's wall clock now: zones on daylight-saving time at the moment of the run and
    /// zones off it (New York and Sydney are always on opposite sides) must both open an hour around their
    /// local time and stay closed an hour later. A server that applied a fixed or standard offset would get
    /// one of them wrong by an hour.
    /// </summary>
    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Australia/Sydney")]
    [InlineData("Europe/London")]
    [InlineData("Asia/Kolkata")]
    public async Task ACallingWindowIsTheLocalTimeOfItsZoneOnAndOffDaylightSaving(string zone)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(zone));
        var minute = (local.Hour * 60) + local.Minute;
        var today = local.DayOfWeek.ToString()[..3].ToLowerInvariant();
        static string Clock(int m) => m >= 1440 ? "24:00" : $"{m / 60:D2}:{m % 60:D2}";
        var (closedStart, closedEnd) = minute + 121 <= 1440 ? (minute + 61, minute + 121) : (minute - 121, minute - 61);

        var openAgent = await server.AgentAsync();
        await CreateAsync(openAgent, Numbers(1, out _),
            $$""","calling_window":{"start":"{{Clock(Math.Max(0, minute - 60))}}","end":"{{Clock(Math.Min(1440, minute + 61))}}","timezone":"{{zone}}","days":["{{today}}"]}""");
        var closedAgent = await server.AgentAsync();
        await CreateAsync(closedAgent, Numbers(1, out _),
            $$""","calling_window":{"start":"{{Clock(closedStart)}}","end":"{{Clock(closedEnd)}}","timezone":"{{zone}}"}""");
        var otherDayAgent = await server.AgentAsync();
        var otherDays = Days.Where(d => d != today).Select(d => $"\"{d}\"");
        await CreateAsync(otherDayAgent, Numbers(1, out _), $$""","calling_window":{"start":"00:00","end":"24:00","timezone":"{{zone}}","days":[{{string.Join(",", otherDays)}}]}""");
        var laterAgent = await server.AgentAsync();
        await CreateAsync(laterAgent, Numbers(1, out _), $$""","scheduled_at":"{{KnownCalls.Stamp(DateTimeOffset.UtcNow.AddHours(1))}}" """);

        Assert.Single(await server.ClaimAsync(openAgent));
        Assert.Empty(await server.ClaimAsync(closedAgent));
        Assert.Empty(await server.ClaimAsync(otherDayAgent));
        Assert.Empty(await server.ClaimAsync(laterAgent));
    }

    [Fact]
    public async Task TheCliCreatesACampaignFromAnNdjsonFile()
    {
        var agent = await server.AgentAsync();
        var file = server.Store.PathFor($"recipients-{Guid.NewGuid():N}.ndjson");
        var lines = new StringBuilder();
        for (var i = 0; i < 3; i++)
        {
            lines.Append($$$"""{"phone_number":"{{{PhoneNumbers.Fresh()}}}","contact_id":{{{9000 + i}}},"variables":{"i":{{{i}}}}}""").Append('\n');
        }
        await File.WriteAllTextAsync(file, lines.ToString(), Cancel);
        var created = await server.Store.RunAsync("campaigns", "create", "--file", file, "--name", "From the CRM", "--agent-id", agent, "--workspace", DialingServer<TStore>.Workspace);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("3 calls queued", created.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, (await server.ClaimAsync(agent)).Count);

        await File.WriteAllTextAsync(file, $$"""{"phone_number":"{{PhoneNumbers.Fresh()}}"}""" + "\n{\"phone_number\":\"nope\"}\n", Cancel);
        var refused = await server.Store.RunAsync("campaigns", "create", "--file", file, "--name", "Bad", "--agent-id", agent, "--workspace", DialingServer<TStore>.Workspace);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("line 2", refused.Stderr, StringComparison.Ordinal);
    }
}

public sealed class CampaignsTestsOnSqlite(DialingServer<SqliteStore> server) : CampaignsTests<SqliteStore>(server), IClassFixture<DialingServer<SqliteStore>>;

public sealed class CampaignsTestsOnPostgres(DialingServer<PostgresStore> server) : CampaignsTests<PostgresStore>(server), IClassFixture<DialingServer<PostgresStore>>;
