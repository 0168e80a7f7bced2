using System.Net;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests.Faults;

/// <summary>A server with 20,000 calls in one workspace, so that its searches take long enough to overlap, and keys without a rate limit.</summary>
public sealed class SearchStormServer<TStore> : CallLogServer<TStore> where TStore : TestStore, new()
{
    public string Stormer { get; private set; } = "";

    public string Neighbour { get; private set; } = "";

    protected override async Task SeedAsync()
    {
        await Store.SucceedAsync("demo", "--calls", "20000", "--workspace", "stormy");
        Stormer = (await Store.CreateKeyAsync("can_read_calls", "stormy", "--rate-limit", "0")).Secret;
        await Store.ImportAsync(KnownCalls.All, "quiet");
        Neighbour = (await Store.CreateKeyAsync("can_read_calls", "quiet", "--rate-limit", "0")).Secret;
    }
}

/// <summary>Searches are limited per workspace as well as per node: one tenant's storm leaves the others theirs.</summary>
public abstract class SearchFairnessTests<TStore>(SearchStormServer<TStore> server) where TStore : TestStore, new()
{
    [Fact]
    public async Task OneWorkspacesStormOfSearchesLeavesAnotherWorkspacesSearchesServed()
    {
        var client = server.Client;
        var stormed = new List<HttpStatusCode>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var storm = Enumerable.Range(0, 6).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync("/api/v1/calls?q=a&limit=100", server.Stormer);
                    lock (stormed)
                    {
                        stormed.Add(response.StatusCode);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }).ToList();
        await Task.Delay(500, TestContext.Current.CancellationToken);

        var neighbour = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync("/api/v1/calls?q=person", server.Neighbour);
            neighbour.Add(response.StatusCode);
        }
        await stop.CancelAsync();
        await Task.WhenAll(storm);

        // The storm was one: its own workspace was turned away while the neighbour searched.
        Assert.Contains(HttpStatusCode.ServiceUnavailable, stormed);
        Assert.All(stormed, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.All(neighbour, s => Assert.Equal(HttpStatusCode.OK, s));
    }
}

public sealed class SearchFairnessTestsOnSqlite(SearchStormServer<SqliteStore> server) : SearchFairnessTests<SqliteStore>(server), IClassFixture<SearchStormServer<SqliteStore>>;

public sealed class SearchFairnessTestsOnPostgres(SearchStormServer<PostgresStore> server) : SearchFairnessTests<PostgresStore>(server), IClassFixture<SearchStormServer<PostgresStore>>;
