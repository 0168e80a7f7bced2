using System.Net;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>Events older than Events:RetentionDays are pruned in the background; their numbers are never handed out again.</summary>
public abstract class EventRetentionTests<TStore>(ShortRetentionServer<TStore> server) where TStore : TestStore, new()
{
    private async Task<string> WriteAndReadIdAsync()
    {
        using var put = await server.SendAsync(HttpMethod.Put, $"/api/v1/calls/kept-{Guid.NewGuid():N}",
            """{"agent_id":"a","status":"in-progress","type":"inbound","phone_number":"+15550001111","started_at":"2025-05-01T09:00:00Z"}""");
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var events = await server.EventsAsync();
        return events[^1].GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task OldEventsArePrunedAndTheirNumbersAreNotReused()
    {
        var first = await WriteAndReadIdAsync();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await server.EventsAsync()).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
        Assert.Empty(await server.EventsAsync());

        var second = await WriteAndReadIdAsync();
        Assert.True(string.CompareOrdinal(second, first) > 0, $"{second} should come after {first}");
    }

    [Fact]
    public async Task FinishedWebhookDeliveriesGoWithTheirEvents()
    {
        using var created = await server.SendAsync(HttpMethod.Post, "/api/v1/webhooks", """{"url":"http://127.0.0.1:9/retention","events":["*"]}""");
        var webhook = (await created.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await WriteAndReadIdAsync();
        async Task<List<System.Text.Json.JsonElement>> DeliveriesAsync()
        {
            using var response = await server.Client.GetAsync($"/api/v1/webhooks/{webhook}/deliveries", server.Key);
            return [.. (await response.JsonAsync(HttpStatusCode.OK)).GetProperty("deliveries").EnumerateArray()];
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        var seenFailed = false;
        while (DateTime.UtcNow < deadline)
        {
            var deliveries = await DeliveriesAsync();
            seenFailed |= deliveries.Any(d => d.GetProperty("status").GetString() == "failed" && d.GetProperty("error").GetString() == "connection refused");
            if (seenFailed && deliveries.Count == 0)
            {
                return;
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Fail($"the delivery was {(seenFailed ? "never pruned" : "never seen failed")}");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100000")]
    public async Task ARetentionOutOfRangeStopsServeAtStartInOneLine(string days)
    {
        var refused = await CallLogProcess.RunAsync(["serve", "--db", server.Store.Db, "--urls", "http://127.0.0.1:0"],
            environment: new Dictionary<string, string> { ["Events__RetentionDays"] = days });

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Events:RetentionDays must be more than 0 and at most 36500", refused.Stderr, StringComparison.Ordinal);
    }
}

public sealed class EventRetentionTestsOnSqlite(ShortRetentionServer<SqliteStore> server) : EventRetentionTests<SqliteStore>(server), IClassFixture<ShortRetentionServer<SqliteStore>>;

public sealed class EventRetentionTestsOnPostgres(ShortRetentionServer<PostgresStore> server) : EventRetentionTests<PostgresStore>(server), IClassFixture<ShortRetentionServer<PostgresStore>>;
