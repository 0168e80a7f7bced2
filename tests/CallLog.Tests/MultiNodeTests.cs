using System.Net;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

public abstract class MultiNodeTests<TStore>(TwoNodes<TStore> nodes) where TStore : TestStore, new()
{
    [Fact]
    public async Task TwoNodesServeTheSameDataAndTheSameKeys()
    {
        _ = nodes.Client;
        var (id, key) = await nodes.Store.CreateKeyAsync("can_read_calls", "shared");
        await nodes.Store.ImportAsync(KnownCalls.All, "shared");

        using var a = await nodes.First.GetAsync("/api/v1/calls?limit=100", key);
        using var b = await nodes.Second.GetAsync("/api/v1/calls?limit=100", key);
        var fromFirst = await a.JsonAsync(HttpStatusCode.OK);
        var fromSecond = await b.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(KnownCalls.Count, fromFirst.GetProperty("count").GetInt64());
        Assert.Equal(fromFirst.GetRawText(), fromSecond.GetRawText());

        // A cursor made by one node is accepted by the other.
        using var onward = await nodes.Second.GetAsync($"/api/v1/calls?limit=10&cursor={(await (await nodes.First.GetAsync("/api/v1/calls?limit=10", key)).JsonAsync(HttpStatusCode.OK)).GetProperty("next_cursor").GetString()}", key);
        Assert.Equal(10, (await onward.JsonAsync(HttpStatusCode.OK)).GetProperty("calls").GetArrayLength());

        await nodes.Store.SucceedAsync("keys", "revoke", id);
        using var revokedFirst = await nodes.First.GetAsync("/api/v1/calls", key);
        using var revokedSecond = await nodes.Second.GetAsync("/api/v1/calls", key);
        await revokedFirst.ErrorAsync(HttpStatusCode.Unauthorized, "invalid_key");
        await revokedSecond.ErrorAsync(HttpStatusCode.Unauthorized, "invalid_key");
    }

    [Fact]
    public async Task ConcurrentReadsOnBothNodesNeverFail()
    {
        _ = nodes.Client;
        var (_, key) = await nodes.Store.CreateKeyAsync("can_read_calls", "busy");
        await nodes.Store.ImportAsync(KnownCalls.All, "busy");

        var requests = Enumerable.Range(0, 200).Select(async i =>
        {
            var client = i % 2 == 0 ? nodes.First : nodes.Second;
            using var response = await client.GetAsync($"/api/v1/calls?limit={1 + (i % 100)}&page={1 + (i % 3)}", key);
            return response.StatusCode;
        });

        Assert.All(await Task.WhenAll(requests), status => Assert.Equal(HttpStatusCode.OK, status));
    }
}

public sealed class MultiNodeTestsOnSqlite(TwoNodes<SqliteStore> nodes) : MultiNodeTests<SqliteStore>(nodes), IClassFixture<TwoNodes<SqliteStore>>;

public sealed class MultiNodeTestsOnPostgres(TwoNodes<PostgresStore> nodes) : MultiNodeTests<PostgresStore>(nodes), IClassFixture<TwoNodes<PostgresStore>>;
