using System.Net;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>Placing calls, canceling them, the dial queue a runtime claims from, its limits, and the do-not-call list.</summary>
public abstract class DialingTests<TStore>(DialingServer<TStore> server) where TStore : TestStore, new()
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Stamp(DateTimeOffset time) => KnownCalls.Stamp(time);

    /// <summary>The events of <paramref name="type"/> about call <paramref name="id"/>, from the workspace's feed.</summary>
    private async Task<List<JsonElement>> EventsAsync(string id, string type)
    {
        var found = new List<JsonElement>();
        string? after = null;
        while (true)
        {
            var page = await server.JsonAsync(HttpMethod.Get, $"/api/v1/events?limit=100&type={type}{(after is null ? "" : $"&after={after}")}", server.Placer, HttpStatusCode.OK);
            var events = page.GetProperty("events").EnumerateArray().ToList();
            found.AddRange(events.Where(e => e.GetProperty("data").GetProperty("call").GetProperty("id").GetString() == id));
            after = page.GetProperty("next_after").GetString();
            if (events.Count < 100)
            {
                return found;
            }
        }
    }

    private async Task<long> QueuedCountAsync(string phone)
    {
        var page = await server.JsonAsync(HttpMethod.Get, $"/api/v1/calls?limit=1&phone_number={Uri.EscapeDataString(phone)}", server.Placer, HttpStatusCode.OK);
        return page.GetProperty("count").GetInt64();
    }

    [Fact]
    public async Task APlacedCallIsQueuedListedShownWithItsVariablesAndAnnounced()
    {
        var agent = await server.AgentAsync();
        var phone = PhoneNumbers.Fresh();
        using var response = await server.SendAsync(HttpMethod.Post, "/api/v1/calls", server.Placer,
            $$"""{"phone_number":"{{phone}}","agent_id":"{{agent}}","contact_id":123,"variables":{"first_name":"Ada","plan":"pro"},"metadata":{"crm":"42"},"from_number":"+15550000001"}""");
        var placed = await response.JsonAsync(HttpStatusCode.Created);
        var id = placed.GetProperty("id").GetString()!;
        Assert.StartsWith("call_", id, StringComparison.Ordinal);
        Assert.Equal(id, placed.GetProperty("call_id").GetString());
        Assert.Equal("queued", placed.GetProperty("status").GetString());
        Assert.Equal("outbound", placed.GetProperty("type").GetString());
        Assert.Equal(agent, placed.GetProperty("agent").GetProperty("id").GetString());
        Assert.Equal("Dialer", placed.GetProperty("agent").GetProperty("name").GetString());
        Assert.InRange(DateTimeOffset.Parse(placed.GetProperty("estimated_start").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal($"/api/v1/calls/{id}", response.Headers.Location!.OriginalString);

        var call = await server.CallAsync(id);
        Assert.Equal("queued", call.GetProperty("status").GetString());
        Assert.Equal(phone, call.GetProperty("phone_number").GetString());
        Assert.Equal("""{"first_name":"Ada","plan":"pro"}""", call.GetProperty("variables").GetRawText());
        Assert.Equal("42", call.GetProperty("metadata").GetProperty("crm").GetString());
        Assert.Equal(123, call.GetProperty("contact").GetProperty("id").GetInt64());

        var queued = await server.JsonAsync(HttpMethod.Get, $"/api/v1/calls?status=queued&agent_id={agent}", server.Placer, HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(queued.GetProperty("calls").EnumerateArray()).GetProperty("id").GetString());
        var notQueued = await server.JsonAsync(HttpMethod.Get, $"/api/v1/calls?status=completed,failed,in-progress&agent_id={agent}", server.Placer, HttpStatusCode.OK);
        Assert.Equal(0, notQueued.GetProperty("count").GetInt64());
        var announced = Assert.Single(await EventsAsync(id, "call.queued"));
        Assert.Equal("queued", announced.GetProperty("data").GetProperty("call").GetProperty("status").GetString());

        // A placed call's variables are not the runtime's to change.
        using var patch = await server.SendAsync(HttpMethod.Patch, $"/api/v1/calls/{id}", server.Runtime, """{"variables":{"plan":"free"}}""", "application/merge-patch+json");
        Assert.Contains("variables", await patch.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"phone_number":"5551234","agent_id":"AGENT"}""", "phone_number")]
    [InlineData("""{"phone_number":"+15551234567"}""", "agent_id")]
    [InlineData("""{"phone_number":"+15551234567","agent_id":"AGENT","scheduled_at":"2020-01-01T00:00:00Z"}""", "scheduled_at")]
    [InlineData("""{"phone_number":"+15551234567","agent_id":"AGENT","scheduled_at":"2099-01-02T00:00:00Z","expires_at":"2099-01-01T00:00:00Z"}""", "expires_at")]
    [InlineData("""{"phone_number":"+15551234567","agent_id":"AGENT","variables":[1]}""", "variables")]
    [InlineData("""{"phone_number":"+15551234567","agent_id":"AGENT","priority":1}""", "priority")]
    public async Task AnInvalidPlacementIsRefusedNamingTheFieldAndPlacesNothing(string body, string named)
    {
        var agent = await server.AgentAsync();
        using var response = await server.SendAsync(HttpMethod.Post, "/api/v1/calls", server.Placer, body.Replace("AGENT", agent, StringComparison.Ordinal));
        Assert.Contains(named, await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
        var queued = await server.JsonAsync(HttpMethod.Get, $"/api/v1/calls?agent_id={agent}", server.Placer, HttpStatusCode.OK);
        Assert.Equal(0, queued.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task AnUnknownAgentADoNotCallNumberAndASpentBudgetPlaceNothing()
    {
        var phone = PhoneNumbers.Fresh();
        using (var unknown = await server.SendAsync(HttpMethod.Post, "/api/v1/calls", server.Placer, $$"""{"phone_number":"{{phone}}","agent_id":"agent_nobody"}"""))
        {
            Assert.Contains("agent_nobody", await unknown.ErrorAsync(HttpStatusCode.NotFound, "not_found"), StringComparison.Ordinal);
        }

        var agent = await server.AgentAsync();
        await server.JsonAsync(HttpMethod.Put, $"/api/v1/do-not-call/{Uri.EscapeDataString(phone)}", server.Placer, HttpStatusCode.Created);
        using (var blocked = await server.SendAsync(HttpMethod.Post, "/api/v1/calls", server.Placer, $$"""{"phone_number":"{{phone}}","agent_id":"{{agent}}"}"""))
        {
            Assert.Contains(phone, await blocked.ErrorAsync(HttpStatusCode.Forbidden, "do_not_call"), StringComparison.Ordinal);
        }
        Assert.Equal(0, await QueuedCountAsync(phone));

        // Two a day: the third is refused until midnight UTC, and places nothing.
        for (var i = 0; i < 2; i++)
        {
            using var ok = await server.SendAsync(HttpMethod.Post, "/api/v1/calls", server.TwoADay, $$"""{"phone_number":"{{PhoneNumbers.Fresh()}}","agent_id":"{{agent}}"}""");
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
        var third = PhoneNumbers.Fresh();
        using var spent = await server.SendAsync(HttpMethod.Post, "/api/v1/calls", server.TwoADay, $$"""{"phone_number":"{{third}}","agent_id":"{{agent}}"}""");
        Assert.Contains("2 calls per UTC day", await spent.ErrorAsync(HttpStatusCode.TooManyRequests, "rate_limit_exceeded"), StringComparison.Ordinal);
        var untilMidnight = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(1), TimeSpan.Zero) - DateTimeOffset.UtcNow;
        Assert.InRange(int.Parse(spent.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture),
            untilMidnight.TotalSeconds - 60, untilMidnight.TotalSeconds + 1);
        Assert.Equal(0, await QueuedCountAsync(third));
    }

    [Fact]
    public async Task AnIdempotencyKeyPlacesOneCallHoweverOftenAndHoweverConcurrentlyItIsSent()
    {
        var agent = await server.AgentAsync();
        var phone = PhoneNumbers.Fresh();
        var body = $$"""{"phone_number":"{{phone}}","agent_id":"{{agent}}"}""";
        var key = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var response = await server.SendAsync(HttpMethod.Post, "/api/v1/calls", server.Placer, body, idempotencyKey: key);
            return await response.JsonAsync(HttpStatusCode.Created);
        }));
        Assert.Single(answers.Select(a => a.GetRawText()).Distinct());
        Assert.Equal(1, await QueuedCountAsync(phone));

        using var other = await server.SendAsync(HttpMethod.Post, "/api/v1/calls", server.Placer, body.Replace(phone, PhoneNumbers.Fresh(), StringComparison.Ordinal), idempotencyKey: key);
        Assert.Contains("Idempotency-Key", await other.ErrorAsync(HttpStatusCode.Conflict, "conflict"), StringComparison.Ordinal);
        using var fresh = await server.SendAsync(HttpMethod.Post, "/api/v1/calls", server.Placer, body, idempotencyKey: Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, fresh.StatusCode);
        Assert.Equal(2, await QueuedCountAsync(phone));
    }

    [Fact]
    public async Task AQueuedCallCanBeCanceledOnceAndNothingElseCan()
    {
        var agent = await server.AgentAsync();
        var id = await server.PlaceAsync(agent);
        var canceled = await server.JsonAsync(HttpMethod.Post, $"/api/v1/calls/{id}/cancel", server.Placer, HttpStatusCode.OK);
        Assert.Equal("canceled", canceled.GetProperty("status").GetString());
        Assert.Single(await EventsAsync(id, "call.canceled"));
        Assert.Equal("canceled", (await server.JsonAsync(HttpMethod.Post, $"/api/v1/calls/{id}/cancel", server.Placer, HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Single(await EventsAsync(id, "call.canceled"));
        Assert.Empty(await server.ClaimAsync(agent));
        using (var final = await server.SendAsync(HttpMethod.Patch, $"/api/v1/calls/{id}", server.Runtime, """{"status":"in-progress"}""", "application/merge-patch+json"))
        {
            Assert.Contains("canceled", await final.ErrorAsync(HttpStatusCode.Conflict, "conflict"), StringComparison.Ordinal);
        }

        var held = await server.PlaceAsync(agent);
        Assert.Equal([held], await server.ClaimAsync(agent));
        using (var leased = await server.SendAsync(HttpMethod.Post, $"/api/v1/calls/{held}/cancel", server.Placer))
        {
            Assert.Contains("handed to a runtime", await leased.ErrorAsync(HttpStatusCode.Conflict, "conflict"), StringComparison.Ordinal);
        }
        await server.PatchAsync(held, """{"status":"in-progress"}""");
        using (var going = await server.SendAsync(HttpMethod.Post, $"/api/v1/calls/{held}/cancel", server.Placer))
        {
            Assert.Contains("in-progress", await going.ErrorAsync(HttpStatusCode.Conflict, "conflict"), StringComparison.Ordinal);
        }
        using var nothing = await server.SendAsync(HttpMethod.Post, "/api/v1/calls/call_nothing/cancel", server.Placer);
        await nothing.ErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task ARuntimeClaimsDueCallsInOrderLeasesThemAndReleasesOrDialsThem()
    {
        var agent = await server.AgentAsync();
        var later = await server.PlaceAsync(agent, extra: $",\"scheduled_at\":\"{Stamp(DateTimeOffset.UtcNow.AddHours(1))}\"");
        var first = await server.PlaceAsync(agent);
        var second = await server.PlaceAsync(agent);

        var claimed = await server.JsonAsync(HttpMethod.Post, "/api/v1/dial-queue/claim", server.Runtime, HttpStatusCode.OK, $$"""{"limit":1,"agent_id":"{{agent}}","lease_seconds":30}""");
        var only = Assert.Single(claimed.GetProperty("calls").EnumerateArray());
        Assert.Equal(first, only.GetProperty("call").GetProperty("id").GetString());
        Assert.Equal(1, only.GetProperty("attempt").GetInt64());
        Assert.InRange(DateTimeOffset.Parse(only.GetProperty("lease_until").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.AddSeconds(28), DateTimeOffset.UtcNow.AddSeconds(31));
        // The scheduled call is not due; the first is leased: the second is all there is.
        Assert.Equal([second], await server.ClaimAsync(agent));
        Assert.Empty(await server.ClaimAsync(agent));

        // Released for later: not due until then. Released for now: claimable again, a second attempt.
        var release = await server.JsonAsync(HttpMethod.Post, $"/api/v1/dial-queue/{second}/release", server.Runtime, HttpStatusCode.OK,
            $$"""{"retry_at":"{{Stamp(DateTimeOffset.UtcNow.AddHours(1))}}"}""");
        Assert.Equal("queued", release.GetProperty("status").GetString());
        Assert.Empty(await server.ClaimAsync(agent));
        using (var notLeased = await server.SendAsync(HttpMethod.Post, $"/api/v1/dial-queue/{second}/release", server.Runtime))
        {
            Assert.Contains("not leased", await notLeased.ErrorAsync(HttpStatusCode.Conflict, "conflict"), StringComparison.Ordinal);
        }

        // Dialed: PATCHed in progress, it leaves the queue (call.started), then ends.
        await server.PatchAsync(first, $$"""{"status":"in-progress","started_at":"{{Stamp(DateTimeOffset.UtcNow)}}"}""");
        Assert.Single(await EventsAsync(first, "call.started"));
        using (var gone = await server.SendAsync(HttpMethod.Post, $"/api/v1/dial-queue/{first}/release", server.Runtime))
        {
            await gone.ErrorAsync(HttpStatusCode.Conflict, "conflict");
        }
        await server.PatchAsync(first, $$"""{"status":"completed","ended_at":"{{Stamp(DateTimeOffset.UtcNow.AddSeconds(1))}}"}""");
        Assert.Equal("completed", (await server.CallAsync(first)).GetProperty("status").GetString());

        // A lease that runs out puts the call back; a claim by id takes exactly that call.
        var third = await server.PlaceAsync(agent);
        Assert.Equal([third], await server.ClaimAsync(agent, leaseSeconds: 1));
        await Task.Delay(TimeSpan.FromMilliseconds(1200), Cancel);
        var again = await server.JsonAsync(HttpMethod.Post, "/api/v1/dial-queue/claim", server.Runtime, HttpStatusCode.OK, $$"""{"ids":["{{third}}","{{later}}"]}""");
        var retried = Assert.Single(again.GetProperty("calls").EnumerateArray());
        Assert.Equal(third, retried.GetProperty("call").GetProperty("id").GetString());
        Assert.Equal(2, retried.GetProperty("attempt").GetInt64());
    }

    [Fact]
    public async Task AnExpiredCallFailsAndANumberAddedAfterQueuingIsNeverDialed()
    {
        var agent = await server.AgentAsync();
        var expiring = await server.PlaceAsync(agent, extra: $",\"expires_at\":\"{Stamp(DateTimeOffset.UtcNow.AddSeconds(2))}\"");
        var phone = PhoneNumbers.Fresh();
        var blocked = await server.PlaceAsync(agent, phone);
        await server.JsonAsync(HttpMethod.Put, $"/api/v1/do-not-call/{Uri.EscapeDataString(phone)}", server.Placer, HttpStatusCode.Created);
        await Task.Delay(TimeSpan.FromSeconds(2.2), Cancel);

        Assert.Empty(await server.ClaimAsync(agent));
        var failed = await server.CallAsync(expiring);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("expired", failed.GetProperty("metadata").GetProperty("failure_reason").GetString());
        Assert.Single(await EventsAsync(expiring, "call.failed"));
        var canceled = await server.CallAsync(blocked);
        Assert.Equal("canceled", canceled.GetProperty("status").GetString());
        Assert.Equal("do_not_call", canceled.GetProperty("metadata").GetProperty("cancel_reason").GetString());
        Assert.Single(await EventsAsync(blocked, "call.canceled"));
    }

    [Fact]
    public async Task AnAgentsLimitCountsLeasedAndInProgressCallsAndAWorkspaceLimitAllOfThem()
    {
        var agent = await server.AgentAsync(maxConcurrentCalls: 2);
        var free = await server.AgentAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await server.PlaceAsync(agent));
        }
        var leased = await server.ClaimAsync(agent, limit: 10);
        Assert.Equal(ids.Take(2), leased);
        Assert.Empty(await server.ClaimAsync(agent));
        await server.PatchAsync(leased[0], """{"status":"in-progress"}""");
        Assert.Empty(await server.ClaimAsync(agent));
        await server.PatchAsync(leased[0], $$"""{"status":"completed","ended_at":"{{Stamp(DateTimeOffset.UtcNow.AddSeconds(1))}}"}""");
        Assert.Equal([ids[2]], await server.ClaimAsync(agent));
        // Raising the limit lets more go; leaving it out of a PUT leaves it as it is.
        await server.JsonAsync(HttpMethod.Put, $"/api/v1/agents/{agent}", server.Placer, HttpStatusCode.OK, """{"name":"Dialer"}""");
        Assert.Equal(2, (await server.JsonAsync(HttpMethod.Get, $"/api/v1/agents/{agent}", server.Placer, HttpStatusCode.OK)).GetProperty("max_concurrent_calls").GetInt64());
        await server.JsonAsync(HttpMethod.Put, $"/api/v1/agents/{agent}", server.Placer, HttpStatusCode.OK, """{"name":"Dialer","max_concurrent_calls":null}""");
        Assert.Equal(ids.Skip(3), await server.ClaimAsync(agent));

        // A node whose workspaces may have 3 calls at once counts every agent's: ids[1] to ids[4] are leased, so
        // another agent's call waits there, and goes through a node without the limit.
        var limited = await server.StartAsync(new Dictionary<string, string> { ["Dialing__MaxConcurrentCalls"] = "3" });
        await server.PlaceAsync(free);
        Assert.Empty(await server.ClaimAsync(free, client: limited));
        Assert.Single(await server.ClaimAsync(free));
    }

    [Fact]
    public async Task TenThousandCallsThroughEightClaimersGoOutOnceEach()
    {
        var agent = await server.AgentAsync();
        var prefix = Random.Shared.Next(100, 999);
        var recipients = string.Join(",", Enumerable.Range(0, 10_000).Select(i => $$"""{"phone_number":"+1{{prefix}}{{i:D7}}"}"""));
        var campaign = await server.JsonAsync(HttpMethod.Post, "/api/v1/campaigns", server.Placer, HttpStatusCode.Created,
            $$"""{"name":"Claimers","agent_id":"{{agent}}","recipients":[{{recipients}}]}""");
        Assert.Equal(10_000, campaign.GetProperty("counts").GetProperty("queued").GetInt64());
        var claimed = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (await server.ClaimAsync(agent, limit: 100) is { Count: > 0 } batch)
            {
                foreach (var id in batch)
                {
                    claimed.Add(id);
                }
            }
        }));
        Assert.Equal(10_000, claimed.Count);
        Assert.Equal(10_000, claimed.Distinct().Count());
        var listed = await server.JsonAsync(HttpMethod.Get, $"/api/v1/calls?campaign_id={campaign.GetProperty("id").GetString()}&limit=1", server.Placer, HttpStatusCode.OK);
        Assert.Equal(10_000, listed.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task TheDoNotCallListIsKeptThroughTheApiAndTheCli()
    {
        var phone = PhoneNumbers.Fresh();
        var path = $"/api/v1/do-not-call/{Uri.EscapeDataString(phone)}";
        using (var missing = await server.SendAsync(HttpMethod.Get, path, server.Placer))
        {
            await missing.ErrorAsync(HttpStatusCode.NotFound, "not_found");
        }
        Assert.Equal(phone, (await server.JsonAsync(HttpMethod.Put, path, server.Placer, HttpStatusCode.Created)).GetProperty("phone_number").GetString());
        await server.JsonAsync(HttpMethod.Put, path, server.Placer, HttpStatusCode.OK);
        await server.JsonAsync(HttpMethod.Get, path, server.Placer, HttpStatusCode.OK);
        using (var deleted = await server.SendAsync(HttpMethod.Delete, path, server.Placer))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        using (var again = await server.SendAsync(HttpMethod.Delete, path, server.Placer))
        {
            await again.ErrorAsync(HttpStatusCode.NotFound, "not_found");
        }
        using (var bad = await server.SendAsync(HttpMethod.Put, "/api/v1/do-not-call/5551234", server.Placer))
        {
            Assert.Contains("E.164", await bad.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
        }
        using (var denied = await server.SendAsync(HttpMethod.Put, path, server.ReadOnly))
        {
            await denied.ErrorAsync(HttpStatusCode.Forbidden, "permission_denied");
        }

        var file = server.Store.PathFor($"dnc-{Guid.NewGuid():N}.txt");
        var first = PhoneNumbers.Fresh();
        var second = PhoneNumbers.Fresh();
        await File.WriteAllTextAsync(file, $"# from the CRM\n{first}\n\n{second}\n", Cancel);
        var imported = await server.Store.RunAsync("dnc", "import", file, "--workspace", DialingServer<TStore>.Workspace);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Contains("Added 2 number(s)", imported.Stdout, StringComparison.Ordinal);
        await server.JsonAsync(HttpMethod.Get, $"/api/v1/do-not-call/{Uri.EscapeDataString(second)}", server.Placer, HttpStatusCode.OK);
        await File.WriteAllTextAsync(file, $"{PhoneNumbers.Fresh()}\nnot a number\n", Cancel);
        var refused = await server.Store.RunAsync("dnc", "import", file, "--workspace", DialingServer<TStore>.Workspace);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("line 2", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlacingAndClaimingNeedTheirPermissions()
    {
        var agent = await server.AgentAsync();
        using (var place = await server.SendAsync(HttpMethod.Post, "/api/v1/calls", server.Runtime, $$"""{"phone_number":"+15551234567","agent_id":"{{agent}}"}"""))
        {
            await place.ErrorAsync(HttpStatusCode.Forbidden, "permission_denied");
        }
        using var claim = await server.SendAsync(HttpMethod.Post, "/api/v1/dial-queue/claim", server.Placer, "{}");
        await claim.ErrorAsync(HttpStatusCode.Forbidden, "permission_denied");
    }
}

public sealed class DialingTestsOnSqlite(DialingServer<SqliteStore> server) : DialingTests<SqliteStore>(server), IClassFixture<DialingServer<SqliteStore>>;

public sealed class DialingTestsOnPostgres(DialingServer<PostgresStore> server) : DialingTests<PostgresStore>(server), IClassFixture<DialingServer<PostgresStore>>;
