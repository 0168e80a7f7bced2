using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>Webhooks end to end: a real server delivering to a real receiver on 127.0.0.1, signatures checked independently.</summary>
public abstract class WebhooksTests<TStore>(WebhookServer<TStore> server) where TStore : TestStore, new()
{
    private WebhookReceiver Receiver => server.Receiver;

    /// <summary>The feed's events after the newest one now, for comparing with what was delivered.</summary>
    private async Task<string?> FeedPositionAsync()
    {
        string? after = null;
        while (true)
        {
            var page = await server.JsonAsync(HttpMethod.Get, $"/api/v1/events?limit=100{(after is null ? "" : $"&after={after}")}", HttpStatusCode.OK);
            var next = page.GetProperty("next_after").GetString();
            if (page.GetProperty("events").GetArrayLength() < 100)
            {
                return next;
            }
            after = next;
        }
    }

    /// <summary>The feed's events after <paramref name="after"/>: one page, or with <paramref name="all"/> every page.</summary>
    private async Task<List<JsonElement>> FeedAfterAsync(string? after, bool all = false)
    {
        var events = new List<JsonElement>();
        while (true)
        {
            var page = await server.JsonAsync(HttpMethod.Get, $"/api/v1/events?limit=100{(after is null ? "" : $"&after={after}")}", HttpStatusCode.OK);
            var batch = page.GetProperty("events").EnumerateArray().ToList();
            events.AddRange(batch);
            after = page.GetProperty("next_after").GetString();
            if (!all || batch.Count < 100)
            {
                return events;
            }
        }
    }

    private async Task SucceedsAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var response = await server.SendAsync(method, path, body, contentType: contentType);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }

    [Fact]
    public async Task EveryEventOfTheWorkspaceArrivesSignedAsTheFeedShowsIt()
    {
        // The agent and contact exist, with names of this run, whichever test of the class ran first: the
        // writes below then change them (an agent.updated and a contact.updated) and create nothing.
        await SucceedsAsync(HttpMethod.Put, "/api/v1/agents/assistant_hooks", $$"""{"name":"{{Guid.NewGuid():N}}"}""");
        await SucceedsAsync(HttpMethod.Put, "/api/v1/contacts/7001", $$"""{"name":"{{Guid.NewGuid():N}}"}""");
        var (_, url, secret) = await server.CreateWebhookAsync();
        var start = await FeedPositionAsync();
        var id = $"wh-{Guid.NewGuid():N}";
        await server.PutCallAsync(id);
        await server.PutCallAsync(id); // changes nothing: no event
        await SucceedsAsync(HttpMethod.Patch, $"/api/v1/calls/{id}", """{"summary":"Asked about refunds.","transcript":"Agent: Hi"}""", "application/merge-patch+json");
        await server.PutCallAsync(id, "completed", ",\"summary\":\"Asked about refunds.\",\"transcript\":\"Agent: Hi\",\"recording_url\":\"https://r.example/1.mp3\"");
        await SucceedsAsync(HttpMethod.Put, "/api/v1/agents/assistant_hooks", """{"name":"Hooks Agent"}""");
        await SucceedsAsync(HttpMethod.Put, "/api/v1/contacts/7001", """{"name":"Ada"}""");
        await SucceedsAsync(HttpMethod.Delete, $"/api/v1/calls/{id}");
        var failed = $"wh-{Guid.NewGuid():N}";
        await server.PutCallAsync(failed, "failed");

        var feed = await FeedAfterAsync(start);
        Assert.True(
            feed.Select(e => e.GetProperty("type").GetString()).SequenceEqual(
                ["call.started", "call.summary", "call.transcript", "call.ended", "call.recording", "agent.updated", "contact.updated", "call.deleted", "call.created"]),
            $"the feed after {start ?? "the start"}:\n{string.Join("\n", feed.Select(e => e.GetRawText()))}");
        var received = await Receiver.WaitForSuccessesAsync(url, feed.Count);
        Assert.Equal(feed.Count, received.Count);
        foreach (var (expected, got) in feed.Zip(received.OrderBy(r => r.Id, StringComparer.Ordinal)))
        {
            Assert.Equal(expected.GetProperty("id").GetString(), got.Id);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.GetRawText()), JsonNode.Parse(got.Body)), $"{got.Id} arrived as {got.Body}");
            Assert.True(WebhookSignature.Verifies(secret, got), $"{got.Id}'s signature {got.Signature} does not verify");
            Assert.InRange(long.Parse(got.Timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
            Assert.False(WebhookSignature.Verifies("whsec_" + Convert.ToBase64String(new byte[32]), got));
        }
    }

    [Fact]
    public async Task TheReadmesVerificationSnippetsAcceptCallLogsSignaturesAndNothingElse()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "README.md"), TestContext.Current.CancellationToken);
        // The C# snippet is the tests' own verification (WebhookSignature), word for word.
        var source = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "tests/CallLog.Tests/Infrastructure/WebhookSignature.cs"), TestContext.Current.CancellationToken);
        var tested = source[(source.IndexOf("// README: begin\n", StringComparison.Ordinal) + 17)..source.IndexOf("    // README: end", StringComparison.Ordinal)];
        var dedented = string.Join("\n", tested.TrimEnd('\n').Split('\n').Select(line => line.Length >= 4 ? line[4..] : line)) + "\n";
        Assert.Contains("```csharp\n" + dedented + "```", readme);

        // The Python snippet, run as written, on a real delivery.
        var (_, url, secret) = await server.CreateWebhookAsync("\"call.started\"");
        await server.PutCallAsync($"wh-{Guid.NewGuid():N}");
        var received = (await Receiver.WaitForSuccessesAsync(url, 1)).Single();
        var start = readme.IndexOf("```python\n", StringComparison.Ordinal) + 10;
        var python = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        var harness = python + """

            import json, sys
            case = json.load(sys.stdin)
            print(verify(case["secret"], case["headers"], case["body"].encode()))
            """.Replace("\n    ", "\n", StringComparison.Ordinal);
        async Task<string> RunAsync(string secret, string body, string signature)
        {
            var script = Path.GetTempFileName();
            await File.WriteAllTextAsync(script, harness, TestContext.Current.CancellationToken);
            var input = JsonSerializer.Serialize(new
            {
                secret,
                body,
                headers = new Dictionary<string, string> { ["webhook-id"] = received.Id, ["webhook-timestamp"] = received.Timestamp, ["webhook-signature"] = signature },
            });
            var info = new System.Diagnostics.ProcessStartInfo("python3", script) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = System.Diagnostics.Process.Start(info)!;
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
            var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
            File.Delete(script);
            return output.Trim();
        }
        Assert.Equal("True", await RunAsync(secret, received.Body, received.Signature));
        Assert.Equal("False", await RunAsync(secret, received.Body + " ", received.Signature));
        Assert.Equal("False", await RunAsync("whsec_" + Convert.ToBase64String(new byte[32]), received.Body, received.Signature));
        Assert.Equal("False", await RunAsync(secret, received.Body, "v2," + WebhookSignature.Signatures(received.Signature)[0]));
    }

    [Fact]
    public async Task TheCliManagesEndpointsAndRedeliversOnTheStore()
    {
        var url = Receiver.NewUrl();
        var allow = new Dictionary<string, string> { ["Webhooks__AllowPrivateNetworks"] = "true" };
        Task<CliResult> Cli(params string[] args) => CallLogProcess.RunAsync([.. args, "--db", server.Store.Db], environment: allow);

        var create = await Cli("webhooks", "create", "--url", url, "--events", "call.started", "--workspace", "hooks", "--description", "from the CLI");
        Assert.True(create.ExitCode == 0, create.ToString());
        var secret = create.Stdout.Split('\n').Single(line => line.StartsWith("whsec_", StringComparison.Ordinal)).Trim();
        var list = await Cli("webhooks", "list", "--workspace", "hooks", "--json");
        var webhook = JsonDocument.Parse(list.Stdout).RootElement.GetProperty("webhooks").EnumerateArray()
            .Single(w => w.GetProperty("url").GetString() == url);
        var id = webhook.GetProperty("id").GetString()!;
        Assert.Equal("from the CLI", webhook.GetProperty("description").GetString());
        Assert.DoesNotContain(secret, list.Stdout, StringComparison.Ordinal);

        await server.PutCallAsync($"wh-{Guid.NewGuid():N}");
        var first = (await Receiver.WaitForSuccessesAsync(url, 1)).Single();
        Assert.True(WebhookSignature.Verifies(secret, first));
        string deliveryId;
        while (true)
        {
            var deliveries = JsonDocument.Parse((await Cli("webhooks", "deliveries", id, "--json")).Stdout).RootElement.GetProperty("deliveries");
            if (deliveries.GetArrayLength() == 1 && deliveries[0].GetProperty("status").GetString() == "succeeded")
            {
                deliveryId = deliveries[0].GetProperty("id").GetString()!;
                break;
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        var table = await Cli("webhooks", "deliveries", id);
        Assert.Contains("call.started", table.Stdout);
        Assert.Contains("succeeded", table.Stdout);

        var redeliver = await Cli("webhooks", "redeliver", deliveryId);
        Assert.True(redeliver.ExitCode == 0, redeliver.ToString());
        var again = await Receiver.WaitForSuccessesAsync(url, 2);
        Assert.Equal(first.Id, again[1].Id);

        Assert.Equal(0, (await Cli("webhooks", "delete", id)).ExitCode);
        var gone = await Cli("webhooks", "delete", id);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains($"no webhook endpoint with id '{id}'", gone.Stderr);
        Assert.Equal(1, (await Cli("webhooks", "redeliver", "dlv_nope")).ExitCode);
        var badEvents = await Cli("webhooks", "create", "--url", url, "--events", "call.nothing");
        Assert.Equal(1, badEvents.ExitCode);
        Assert.Contains("--events", badEvents.Stderr);
    }

    [Fact]
    public async Task DeletingAnEndpointWhileQueuingToItAnswersEachAsOneOrTheOtherNeverA500()
    {
        for (var round = 0; round < 15; round++)
        {
            var (webhook, _, _) = await server.CreateWebhookAsync("\"call.started\"");
            var test = await server.JsonAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/test", HttpStatusCode.Accepted);
            var delivery = test.GetProperty("id").GetString();
            var racing = new[]
            {
                server.SendAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/test"),
                server.SendAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/deliveries/{delivery}/redeliver"),
                server.SendAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/replay", """{"since":"2025-01-01T00:00:00Z"}"""),
                server.SendAsync(HttpMethod.Delete, $"/api/v1/webhooks/{webhook}"),
            };
            foreach (var response in await Task.WhenAll(racing))
            {
                using (response)
                {
                    Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NoContent or HttpStatusCode.NotFound,
                        $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
                }
            }
            using var gone = await server.SendAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhook}");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
    }

    [Fact]
    public async Task OnlySubscribedTypesArriveAndAnotherWorkspacesWritesNever()
    {
        var (_, url, _) = await server.CreateWebhookAsync("\"call.ended\",\"contact.*\"");
        var id = $"wh-{Guid.NewGuid():N}";
        await server.PutCallAsync(id);
        await server.PutCallAsync(id, "completed");
        using (await server.SendAsync(HttpMethod.Put, $"/api/v1/calls/{id}-elsewhere",
            """{"agent_id":"a","status":"completed","type":"inbound","phone_number":"+15550001111","started_at":"2025-05-01T09:00:00Z","ended_at":"2025-05-01T09:01:00Z"}""", server.OtherWorkspace))
        {
        }
        using (await server.SendAsync(HttpMethod.Put, "/api/v1/contacts/7002", """{"name":"Grace"}"""))
        {
        }
        var received = await Receiver.WaitForSuccessesAsync(url, 2);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        received = Receiver.For(url);
        // Different calls (and a contact) go in parallel: the order of arrival across them is not guaranteed.
        Assert.Equal(["call.ended", "contact.updated"], received.Select(r => r.Type).Order(StringComparer.Ordinal));
        Assert.Equal(id, received.Single(r => r.Type == "call.ended").Json.GetProperty("data").GetProperty("call").GetProperty("id").GetString());
    }

    [Fact]
    public async Task AReceiverThatFailsTwiceGetsThreeAttemptsWithOneWebhookId()
    {
        var (webhook, url, _) = await server.CreateWebhookAsync("\"call.started\"");
        Receiver.Script(url, new Answer(500), new Answer(502));
        await server.PutCallAsync($"wh-{Guid.NewGuid():N}");
        var received = await Receiver.WaitForSuccessesAsync(url, 1);
        Assert.Equal([500, 502, 200], received.Select(r => r.Answered));
        Assert.Single(received.Select(r => r.Id).Distinct());
        var delivery = (await server.DeliveriesAsync(webhook)).Single();
        Assert.Equal("succeeded", delivery.GetProperty("status").GetString());
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(200, delivery.GetProperty("response_status").GetInt32());
        Assert.Equal("answered 200", delivery.GetProperty("response_body").GetString());
    }

    [Fact]
    public async Task ADeliveryIsGivenUpWhenTheScheduleIsSpentAndTheLogSaysWhy()
    {
        var (webhook, url, _) = await server.CreateWebhookAsync("\"call.started\"");
        Receiver.Script(url, new Answer(500), new Answer(500), new Answer(500), new Answer(500));
        await server.PutCallAsync($"wh-{Guid.NewGuid():N}");
        await Receiver.WaitAsync(url, r => r.Count == 4);
        var delivery = await WaitForDeliveryAsync(webhook, d => d.GetProperty("status").GetString() == "failed");
        Assert.Equal(4, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(500, delivery.GetProperty("response_status").GetInt32());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("next_attempt_at").ValueKind);
        await Task.Delay(600, TestContext.Current.CancellationToken);
        Assert.Equal(4, Receiver.For(url).Count);
        Assert.Single(await server.DeliveriesAsync(webhook, "status=failed"));
        Assert.Empty(await server.DeliveriesAsync(webhook, "status=pending"));
        var endpoint = await server.JsonAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhook}", HttpStatusCode.OK);
        Assert.True(endpoint.GetProperty("enabled").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, endpoint.GetProperty("failing_since").ValueKind);
    }

    [Fact]
    public async Task AnAttemptWithoutAnAnswerInTimeIsATimeout()
    {
        var (webhook, url, _) = await server.CreateWebhookAsync("\"call.started\"");
        var late = new Answer(200, TimeSpan.FromSeconds(1.5));
        Receiver.Script(url, late, late, late, late);
        await server.PutCallAsync($"wh-{Guid.NewGuid():N}");
        var delivery = await WaitForDeliveryAsync(webhook, d => d.GetProperty("status").GetString() == "failed");
        Assert.Equal(4, delivery.GetProperty("attempts").GetInt32());
        Assert.StartsWith("timeout", delivery.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("response_status").ValueKind);
        Assert.InRange(delivery.GetProperty("latency_ms").GetInt32(), 900, 1400);
        var received = await Receiver.WaitAsync(url, r => r.Count == 4);
        Assert.Single(received.Select(r => r.Id).Distinct());
    }

    [Fact]
    public async Task RetryAfterOnA503IsHonoured()
    {
        var (_, url, _) = await server.CreateWebhookAsync("\"call.started\"");
        Receiver.Script(url, new Answer(503, RetryAfter: "2"));
        await server.PutCallAsync($"wh-{Guid.NewGuid():N}");
        var received = await Receiver.WaitForSuccessesAsync(url, 1, TimeSpan.FromSeconds(10));
        Assert.Equal(2, received.Count);
        Assert.InRange(received[1].At - received[0].At, TimeSpan.FromSeconds(1.8), TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task GoneDisablesTheEndpointAndReEnablingThenReplayingSendsWhatItMissed()
    {
        var (webhook, url, _) = await server.CreateWebhookAsync("\"call.started\"");
        Receiver.Script(url, new Answer(410));
        var since = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await server.PutCallAsync($"wh-{Guid.NewGuid():N}");
        await Receiver.WaitAsync(url, r => r.Count == 1);
        var endpoint = await WaitForEndpointAsync(webhook, e => !e.GetProperty("enabled").GetBoolean());
        Assert.Equal("gone", endpoint.GetProperty("disabled_reason").GetString());
        var missed = $"wh-{Guid.NewGuid():N}";
        await server.PutCallAsync(missed);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Single(Receiver.For(url));

        var enabled = await server.JsonAsync(HttpMethod.Patch, $"/api/v1/webhooks/{webhook}", HttpStatusCode.OK, """{"enabled":true}""");
        Assert.True(enabled.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, enabled.GetProperty("disabled_reason").ValueKind);
        var after = $"wh-{Guid.NewGuid():N}";
        await server.PutCallAsync(after);
        var received = await Receiver.WaitForSuccessesAsync(url, 1);
        Assert.Equal(after, received.Last().Json.GetProperty("data").GetProperty("call").GetProperty("id").GetString());

        var replay = await server.JsonAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/replay", HttpStatusCode.Accepted, $$"""{"since":"{{since}}"}""");
        // Every call.started of the workspace since then: this test's three, and any other test's.
        var started = (await FeedAfterAsync(null, all: true)).Count(e => e.GetProperty("type").GetString() == "call.started"
            && e.GetProperty("created_at").GetDateTimeOffset() >= DateTimeOffset.Parse(since, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(started >= 3);
        Assert.Equal(started, replay.GetProperty("deliveries").GetInt32());
        received = await Receiver.WaitAsync(url, r => r.Count(x => x.Succeeded) == 1 + started);
        Assert.Contains(received, r => r.Succeeded && r.Json.GetProperty("data").GetProperty("call").GetProperty("id").GetString() == missed);
    }

    [Fact]
    public async Task OneCallsEventsArriveInOrderWhileOtherCallsGoAhead()
    {
        var (_, url, _) = await server.CreateWebhookAsync("\"call.*\"");
        var slow = $"wh-{Guid.NewGuid():N}";
        var other = $"wh-{Guid.NewGuid():N}";
        Receiver.Script(url, new Answer(500), new Answer(500));
        await server.PutCallAsync(slow);
        await Receiver.WaitAsync(url, r => r.Count >= 1);
        using (await server.SendAsync(HttpMethod.Patch, $"/api/v1/calls/{slow}", """{"summary":"s"}""", contentType: "application/merge-patch+json"))
        {
        }
        await server.PutCallAsync(slow, "completed", ",\"summary\":\"s\"");
        await server.PutCallAsync(other);
        var received = await Receiver.WaitForSuccessesAsync(url, 4);
        var succeeded = received.Where(r => r.Succeeded).ToList();
        var slowIds = succeeded.Where(r => r.Json.GetProperty("data").GetProperty("call").GetProperty("id").GetString() == slow).Select(r => r.Id).ToList();
        Assert.Equal(["call.started", "call.summary", "call.ended"], succeeded.Where(r => slowIds.Contains(r.Id)).Select(r => r.Type));
        Assert.Equal(slowIds.Order(StringComparer.Ordinal), slowIds);
        // Nothing of the slow call went out before its first event had succeeded.
        var firstSuccess = received.FindIndex(r => r.Succeeded && r.Id == slowIds[0]);
        Assert.DoesNotContain(received.Take(firstSuccess), r => r.Id != slowIds[0] && slowIds.Contains(r.Id));
    }

    [Fact]
    public async Task RotatingTheSecretSignsWithBothForADay()
    {
        var (webhook, url, secret) = await server.CreateWebhookAsync("\"call.started\"");
        var rotated = await server.JsonAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/rotate-secret", HttpStatusCode.OK);
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.NotEqual(secret, newSecret);
        await server.PutCallAsync($"wh-{Guid.NewGuid():N}");
        var received = (await Receiver.WaitForSuccessesAsync(url, 1)).Single();
        Assert.Equal(2, WebhookSignature.Signatures(received.Signature).Count);
        Assert.True(WebhookSignature.Verifies(newSecret, received));
        Assert.True(WebhookSignature.Verifies(secret, received));
    }

    [Fact]
    public async Task TestEventsAndRedeliveriesCarryTheirWebhookId()
    {
        var (webhook, url, secret) = await server.CreateWebhookAsync("\"call.started\"");
        var test = await server.JsonAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/test", HttpStatusCode.Accepted);
        Assert.Equal("webhook.test", test.GetProperty("event_type").GetString());
        var received = (await Receiver.WaitForSuccessesAsync(url, 1)).Single();
        Assert.Equal("webhook.test", received.Type);
        Assert.Equal(webhook, received.Json.GetProperty("data").GetProperty("webhook_id").GetString());
        Assert.Equal(test.GetProperty("event_id").GetString(), received.Id);
        Assert.True(WebhookSignature.Verifies(secret, received));

        await server.PutCallAsync($"wh-{Guid.NewGuid():N}");
        await Receiver.WaitForSuccessesAsync(url, 2);
        var delivery = await WaitForDeliveryAsync(webhook, d => d.GetProperty("event_type").GetString() == "call.started" && d.GetProperty("status").GetString() == "succeeded");
        var again = await server.JsonAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/deliveries/{delivery.GetProperty("id").GetString()}/redeliver", HttpStatusCode.Accepted);
        Assert.NotEqual(delivery.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        var all = await Receiver.WaitForSuccessesAsync(url, 3);
        Assert.Equal(delivery.GetProperty("event_id").GetString(), all[^1].Id);
        Assert.Equal(all[1].Body, all[2].Body);
        Assert.True(WebhookSignature.Verifies(secret, all[2]));

        using var unknown = await server.SendAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/deliveries/dlv_999999999/redeliver");
        await unknown.ErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task TheDeliveryLogPagesNewestFirstAndFiltersByStatus()
    {
        var (webhook, url, _) = await server.CreateWebhookAsync("\"call.started\"");
        for (var i = 0; i < 5; i++)
        {
            await server.PutCallAsync($"wh-{Guid.NewGuid():N}");
        }
        await Receiver.WaitForSuccessesAsync(url, 5);
        await WaitForDeliveryAsync(webhook, _ => true, all => all.Count == 5 && all.All(d => d.GetProperty("status").GetString() == "succeeded"));
        var first = await server.JsonAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhook}/deliveries?limit=2", HttpStatusCode.OK);
        var ids = first.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("id").GetString()!).ToList();
        var cursor = first.GetProperty("next_cursor").GetString();
        while (cursor is not null)
        {
            var page = await server.JsonAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhook}/deliveries?limit=2&cursor={cursor}", HttpStatusCode.OK);
            ids.AddRange(page.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        Assert.Equal(5, ids.Distinct().Count());
        Assert.Equal(ids.OrderByDescending(id => long.Parse(id[4..], System.Globalization.CultureInfo.InvariantCulture)), ids);
        Assert.Equal(5, (await server.DeliveriesAsync(webhook, "status=succeeded")).Count);
        Assert.Empty(await server.DeliveriesAsync(webhook, "status=failed"));
        foreach (var bad in new[] { "status=done", "limit=0", "cursor=abc", "color=red" })
        {
            using var response = await server.SendAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhook}/deliveries?{bad}");
            await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error");
        }
    }

    [Fact]
    public async Task EndpointsAreManagedThroughTheApiAndKlensRoute()
    {
        var created = await server.JsonAsync(HttpMethod.Post, "/api/webhooks/create/", HttpStatusCode.Created,
            $$"""{"name":"CRM sync","url":"{{Receiver.NewUrl()}}","subscribed_events":["call.ended","call.failed"]}""");
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("wh_", id);
        Assert.Equal("CRM sync", created.GetProperty("description").GetString());
        Assert.Equal(["call.ended", "call.failed"], created.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.True(created.GetProperty("enabled").GetBoolean());

        var listed = await server.JsonAsync(HttpMethod.Get, "/api/v1/webhooks", HttpStatusCode.OK);
        var mine = listed.GetProperty("webhooks").EnumerateArray().Single(w => w.GetProperty("id").GetString() == id);
        Assert.False(mine.TryGetProperty("secret", out _));

        var changed = await server.JsonAsync(HttpMethod.Patch, $"/api/v1/webhooks/{id}", HttpStatusCode.OK, """{"events":["call.*"],"description":null,"enabled":false}""");
        Assert.Equal(["call.*"], changed.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, changed.GetProperty("description").ValueKind);
        Assert.Equal("disabled", changed.GetProperty("disabled_reason").GetString());

        using (var elsewhere = await server.SendAsync(HttpMethod.Get, $"/api/v1/webhooks/{id}", key: server.OtherWorkspace))
        {
            await elsewhere.ErrorAsync(HttpStatusCode.NotFound, "not_found");
        }
        using (var readerOnly = await server.SendAsync(HttpMethod.Get, "/api/v1/webhooks", key: server.Reader))
        {
            Assert.Equal(HttpStatusCode.Forbidden, readerOnly.StatusCode);
        }
        using (var deleted = await server.SendAsync(HttpMethod.Delete, $"/api/v1/webhooks/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        using (var gone = await server.SendAsync(HttpMethod.Get, $"/api/v1/webhooks/{id}"))
        {
            await gone.ErrorAsync(HttpStatusCode.NotFound, "not_found");
        }
    }

    [Theory]
    [InlineData("""{"url":"ftp://example.com/x","events":["call.ended"]}""", "url")]
    [InlineData("""{"url":"/relative","events":["call.ended"]}""", "url")]
    [InlineData("""{"url":"https://user:pw@example.com/","events":["call.ended"]}""", "url")]
    [InlineData("""{"url":"https://93.184.216.34/","events":[]}""", "events")]
    [InlineData("""{"url":"https://93.184.216.34/","events":["call.exploded"]}""", "events")]
    [InlineData("""{"url":"https://93.184.216.34/","events":"call.ended"}""", "events")]
    [InlineData("""{"url":"https://93.184.216.34/"}""", "events")]
    [InlineData("""{"url":"https://93.184.216.34/","events":["*"],"secret":"mine"}""", "secret")]
    [InlineData("""["https://93.184.216.34/"]""", "object")]
    public async Task AnInvalidEndpointIsRefusedNamingTheProblem(string body, string named)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/api/v1/webhooks", body);
        var message = await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error");
        Assert.Contains(named, message);
    }

    [Fact]
    public async Task ReplayNeedsAValidRange()
    {
        var (webhook, _, _) = await server.CreateWebhookAsync();
        foreach (var body in new[] { "{}", """{"since":"yesterday"}""", """{"since":"2025-05-02T00:00:00Z","until":"2025-05-01T00:00:00Z"}""" })
        {
            using var response = await server.SendAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/replay", body);
            await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error");
        }
        using var unknown = await server.SendAsync(HttpMethod.Post, "/api/v1/webhooks/wh_nope/replay", """{"since":"2025-05-01T00:00:00Z"}""");
        await unknown.ErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task MetricsCountAttemptsAndShowTheQueue()
    {
        var (_, url, _) = await server.CreateWebhookAsync("\"call.started\"");
        await server.PutCallAsync($"wh-{Guid.NewGuid():N}");
        await Receiver.WaitForSuccessesAsync(url, 1);
        Assert.True(await server.CounterAsync("calllog_webhooks_attempts_total", "outcome=\"succeeded\"") > 0);
        using var scrape = await server.Client.GetAsync("/metrics", TestContext.Current.CancellationToken);
        var metrics = await scrape.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("calllog_webhooks_queue_depth", metrics);
        Assert.Contains("calllog_webhooks_queue_oldest_age_seconds", metrics);
        Assert.Contains("calllog_webhooks_attempt_duration_seconds_bucket", metrics);
    }

    private async Task<JsonElement> WaitForDeliveryAsync(string webhook, Func<JsonElement, bool> match, Func<List<JsonElement>, bool>? all = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var deliveries = await server.DeliveriesAsync(webhook);
            if (deliveries.FirstOrDefault(match) is { ValueKind: JsonValueKind.Object } found && (all is null || all(deliveries)))
            {
                return found;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no delivery of {webhook} matched: {string.Join("\n", deliveries.Select(d => d.GetRawText()))}\n{server.Log[^Math.Min(server.Log.Length, 3000)..]}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private async Task<JsonElement> WaitForEndpointAsync(string webhook, Func<JsonElement, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var endpoint = await server.JsonAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhook}", HttpStatusCode.OK);
            if (match(endpoint))
            {
                return endpoint;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{webhook} never got there: {endpoint.GetRawText()}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}

public sealed class WebhooksTestsOnSqlite(WebhookServer<SqliteStore> server) : WebhooksTests<SqliteStore>(server), IClassFixture<WebhookServer<SqliteStore>>;

public sealed class WebhooksTestsOnPostgres(WebhookServer<PostgresStore> server) : WebhooksTests<PostgresStore>(server), IClassFixture<WebhookServer<PostgresStore>>;
