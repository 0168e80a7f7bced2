using System.Net;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests.Faults;

/// <summary>Writers racing on one record, as several voice runtimes or retries do: one creation, no spurious 412, no lost key.</summary>
public abstract class ConcurrencyTests<TStore>(WritableServer<TStore> server) where TStore : TestStore, new()
{
    private const int Racers = 20;

    private static async Task<HttpStatusCode[]> RaceAsync(int count, Func<int, Task<HttpResponseMessage>> send) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            using var response = await send(i);
            return response.StatusCode;
        }));

    private static void AssertOneCreated(HttpStatusCode[] statuses)
    {
        Assert.True(statuses.Count(s => s == HttpStatusCode.Created) == 1, $"expected one 201, got {string.Join(", ", statuses.Select(s => (int)s))}");
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
    }

    [Fact]
    public async Task RacingPutsOfANewCallCreateItOnce()
    {
        var id = TestCall.NewId();
        AssertOneCreated(await RaceAsync(Racers, i =>
            server.SendAsync(HttpMethod.Put, $"/api/v1/calls/{id}", server.Writer, TestCall.WriteBody(id, metadata: $$"""{"racer":{{i}}}"""))));
    }

    [Fact]
    public async Task RacingPutsOfANewAgentCreateItOnce()
    {
        var id = $"agent_{Guid.NewGuid():N}";
        AssertOneCreated(await RaceAsync(Racers, i =>
            server.SendAsync(HttpMethod.Put, $"/api/v1/agents/{id}", server.Writer, $$"""{"name":"Racer {{i}}"}""")));
    }

    [Fact]
    public async Task RacingPutsOfANewContactCreateItOnce()
    {
        var id = Random.Shared.NextInt64(1_000_000, 1_000_000_000);
        AssertOneCreated(await RaceAsync(Racers, i =>
            server.SendAsync(HttpMethod.Put, $"/api/v1/contacts/{id}", server.ContactsWriter, $$"""{"name":"Racer {{i}}"}""")));
    }

    [Fact]
    public async Task DeletesWithoutIfMatchNeverAnswer412WhileWritesRace()
    {
        var id = TestCall.NewId();
        var statuses = await RaceAsync(100, i => (i % 3) switch
        {
            0 => server.SendAsync(HttpMethod.Delete, $"/api/v1/calls/{id}", server.Writer),
            1 => server.SendAsync(HttpMethod.Put, $"/api/v1/calls/{id}", server.Writer, TestCall.WriteBody(id, status: "in-progress", metadata: $$"""{"put":{{i}}}""")),
            _ => server.SendAsync(HttpMethod.Patch, $"/api/v1/calls/{id}", server.Writer, $$$"""{"metadata":{"patch":{{{i}}}}}""", contentType: "application/merge-patch+json"),
        });
        var deletes = statuses.Where((_, i) => i % 3 == 0).ToList();
        Assert.All(deletes, s => Assert.Contains(s, new[] { HttpStatusCode.NoContent, HttpStatusCode.NotFound }));
        Assert.DoesNotContain(HttpStatusCode.PreconditionFailed, statuses);
        Assert.All(statuses, s => Assert.True((int)s < 500, $"a racing write got {(int)s}"));
    }

    [Fact]
    public async Task FiftyMetadataPatchesAtOnceKeepEveryKey()
    {
        var id = TestCall.NewId();
        using (var put = await server.SendAsync(HttpMethod.Put, $"/api/v1/calls/{id}", server.Writer, TestCall.WriteBody(id, status: "in-progress", metadata: "{}")))
        {
            await put.JsonAsync(HttpStatusCode.Created);
        }
        var statuses = await RaceAsync(50, i =>
            server.SendAsync(HttpMethod.Patch, $"/api/v1/calls/{id}", server.Writer, $$$"""{"metadata":{"key_{{{i}}}":{{{i}}}}}""", contentType: "application/merge-patch+json"));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));

        using var get = await server.SendAsync(HttpMethod.Get, $"/api/v1/calls/{id}", server.Reader);
        var metadata = (await get.JsonAsync(HttpStatusCode.OK)).GetProperty("metadata");
        Assert.Equal(50, metadata.EnumerateObject().Count());
        Assert.All(Enumerable.Range(0, 50), i => Assert.Equal(i, metadata.GetProperty($"key_{i}").GetInt32()));
    }
}

public sealed class ConcurrencyTestsOnSqlite(WritableServer<SqliteStore> server) : ConcurrencyTests<SqliteStore>(server), IClassFixture<WritableServer<SqliteStore>>;

public sealed class ConcurrencyTestsOnPostgres(WritableServer<PostgresStore> server) : ConcurrencyTests<PostgresStore>(server), IClassFixture<WritableServer<PostgresStore>>;
