using System.Net;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>At least once, and once at a time: a node killed mid-delivery loses nothing; two nodes never send one event twice.</summary>
public abstract class WebhookDeliveryTests<TStore>(WebhookServer<TStore> server) where TStore : TestStore, new()
{
    [Fact]
    public async Task ANodeKilledMidDeliveryLosesNothing()
    {
        // A node of its own: the fixture's first may have been killed by the other test.
        var node = await server.StartAsync();
        var (_, url, _) = await server.CreateWebhookAsync("\"call.started\"", node);
        var held = new Answer(200, TimeSpan.FromSeconds(30));
        server.Receiver.Script(url, held, held, held, held);
        var calls = Enumerable.Range(0, 8).Select(_ => $"crash-{Guid.NewGuid():N}").ToList();
        foreach (var call in calls)
        {
            await server.PutCallAsync(call, client: node);
        }
        // Four attempts in flight (the endpoint's limit), held by the receiver: now the node dies.
        await server.Receiver.WaitAsync(url, r => r.Count == 4);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Equal(4, server.Receiver.For(url).Count);
        await server.KillAsync();

        var restarted = await server.StartAsync();
        var received = await server.Receiver.WaitAsync(url, r => r.Where(x => x.Succeeded).Select(x => x.Id).Distinct().Count() == 8);
        var delivered = received.Where(r => r.Succeeded).Select(r => r.Json.GetProperty("data").GetProperty("call").GetProperty("id").GetString()!).ToHashSet();
        Assert.Equal(calls.ToHashSet(), delivered);
        // The four that were in flight went again, with the same webhook-id.
        Assert.Equal(4, received.Where(r => r.Late).Select(r => r.Id).Intersect(received.Where(r => r.Succeeded).Select(r => r.Id)).Count());
        using var health = await restarted.GetAsync("/readyz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task TwoNodesDeliverEachEventOnce()
    {
        // Two nodes alone, with time enough to answer under this load: a timeout would send an event again, rightly.
        await server.KillAsync();
        var patient = new Dictionary<string, string> { ["Webhooks__Timeout"] = "00:00:15" };
        var (first, second) = (await server.StartAsync(patient), await server.StartAsync(patient));
        var (_, url, _) = await server.CreateWebhookAsync("\"call.started\"", first);
        const int Calls = 2_000;
        var writers = Enumerable.Range(0, 8).Select(async w =>
        {
            for (var i = w; i < Calls; i += 8)
            {
                await server.PutCallAsync($"pair-{i}-{Guid.NewGuid():N}", client: i % 2 == 0 ? first : second);
            }
        });
        await Task.WhenAll(writers);
        var received = await server.Receiver.WaitForSuccessesAsync(url, Calls, TimeSpan.FromSeconds(60));
        await Task.Delay(500, TestContext.Current.CancellationToken);
        received = server.Receiver.For(url);
        Assert.Equal(Calls, received.Count);
        Assert.Equal(Calls, received.Select(r => r.Id).Distinct().Count());
    }
}

public sealed class WebhookDeliveryTestsOnSqlite(WebhookServer<SqliteStore> server) : WebhookDeliveryTests<SqliteStore>(server), IClassFixture<WebhookServer<SqliteStore>>;

public sealed class WebhookDeliveryTestsOnPostgres(WebhookServer<PostgresStore> server) : WebhookDeliveryTests<PostgresStore>(server), IClassFixture<WebhookServer<PostgresStore>>;
