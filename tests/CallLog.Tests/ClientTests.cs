using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CallLog.Client;
using CallLog.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CallLog.Tests;

/// <summary>src/CallLog.Client against a real server: typed models, cursor paging, typed errors, Retry-After.</summary>
public abstract class ClientTests<TStore>(ClientServer<TStore> server) where TStore : TestStore, new()
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private CallLogClient Everything => server.ClientFor(server.Everything);

    private static CallDetail NewCall(string id, string agentId, DateTimeOffset startedAt) => new()
    {
        Id = id,
        AgentId = agentId,
        AgentName = "Client Agent",
        Status = CallStatus.InProgress,
        Type = CallType.Outbound,
        PhoneNumber = "+15557654321",
        StartedAt = startedAt,
        Contact = new Contact(4242, "Grace Hopper", "grace@example.com", "Navy"),
        Metadata = new JsonObject { ["campaign"] = "client" },
    };

    [Fact]
    public async Task ListAllCallsReadsEveryPageOnceByCursorInOrder()
    {
        var agent = $"agent_{Guid.NewGuid():N}";
        var start = new DateTimeOffset(2025, 5, 1, 8, 0, 0, TimeSpan.Zero);
        // 250 calls, several per second, so the order must fall back to the id.
        var calls = Enumerable.Range(0, 250)
            .Select(i => TestCall.Completed($"c_{agent}_{i:D3}", agent, KnownCalls.Stamp(start.AddSeconds(i / 3))))
            .ToList();
        await server.Store.ImportAsync(calls, ClientServer<TStore>.Workspace);

        var read = new List<Call>();
        await foreach (var call in Everything.ListAllCallsAsync(new CallListOptions { AgentId = agent }, Cancel))
        {
            read.Add(call);
        }

        Assert.Equal(250, read.Count);
        Assert.Equal(250, read.Select(c => c.Id).Distinct().Count());
        var expected = calls.OrderByDescending(c => c.StartedAt, StringComparer.Ordinal).ThenByDescending(c => c.Id, StringComparer.Ordinal).Select(c => c.Id);
        Assert.Equal(expected, read.Select(c => c.Id));
        Assert.All(read, c => Assert.Equal(CallStatus.Completed, c.Status));
        var first = await Everything.ListCallsAsync(new CallListOptions { AgentId = agent, Limit = 7 }, Cancel);
        Assert.Equal(250, first.Count);
        Assert.Equal(36, first.Pages);
        Assert.NotNull(first.NextCursor);
    }

    [Fact]
    public async Task TheCallLifecycleRoundTripsWithETagsAndTypedErrors()
    {
        var client = Everything;
        var id = $"call_{Guid.NewGuid():N}";
        var started = await client.PutCallAsync(NewCall(id, "client_agent", new DateTimeOffset(2025, 5, 2, 9, 30, 0, 250, TimeSpan.FromHours(2))), cancellationToken: Cancel);
        Assert.Equal(CallStatus.InProgress, started.Status);
        Assert.Equal(new DateTimeOffset(2025, 5, 2, 7, 30, 0, TimeSpan.Zero), started.StartedAt);
        Assert.NotNull(started.ETag);

        var ended = await client.PatchCallAsync(id, new JsonObject { ["status"] = "completed", ["ended_at"] = "2025-05-02T07:34:10Z" }, started.ETag, Cancel);
        Assert.Equal(250, ended.DurationSeconds);
        Assert.Equal("client", ended.Metadata["campaign"]!.GetValue<string>());

        var stale = await Assert.ThrowsAsync<CallLogException>(() => client.PatchCallAsync(id, new JsonObject { ["summary"] = "late" }, started.ETag, Cancel));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("precondition_failed", stale.ErrorCode);
        var final = await Assert.ThrowsAsync<CallLogException>(() => client.PatchCallAsync(id, new JsonObject { ["status"] = "failed" }, cancellationToken: Cancel));
        Assert.Equal("conflict", final.ErrorCode);
        Assert.Contains("final", final.ErrorMessage, StringComparison.Ordinal);

        var read = await client.GetCallAsync(id, Cancel);
        // JsonObject compares by reference: the metadata by value, then the rest.
        Assert.True(JsonNode.DeepEquals(ended.Metadata, read.Metadata));
        var metadata = new JsonObject();
        Assert.Equal(ended with { Metadata = metadata }, read with { Metadata = metadata });
        await client.DeleteCallAsync(id, read.ETag, Cancel);
        var gone = await Assert.ThrowsAsync<CallLogException>(() => client.GetCallAsync(id, Cancel));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("not_found", gone.ErrorCode);
        Assert.False(string.IsNullOrEmpty(gone.RequestId));
    }

    [Fact]
    public async Task AgentsAndContactsAreReadAndWritten()
    {
        var client = Everything;
        var agent = await client.PutAgentAsync($"named_{Guid.NewGuid():N}", "Night Shift", Cancel);
        Assert.Equal(0, agent.CallCount);
        var agents = await client.ListAgentsAsync(limit: 100, cancellationToken: Cancel);
        Assert.Contains(agents.Agents, a => a.Id == agent.Id && a.Name == "Night Shift");

        var contact = await client.PutContactAsync(new ContactRecord(9001, "Katherine Johnson", "kj@example.com", "NASA", "+17575550100"), Cancel);
        Assert.Equal(contact, await client.GetContactAsync(9001, Cancel));
        var found = await client.ListContactsAsync("nasa", cancellationToken: Cancel);
        Assert.Equal([9001L], found.Contacts.Select(c => c.Id));
    }

    [Fact]
    public async Task ABadRequestIsATypedExceptionNamingTheParameter()
    {
        var error = await Assert.ThrowsAsync<CallLogException>(() => Everything.ListCallsAsync(new CallListOptions { Limit = 500 }, Cancel));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("validation_error", error.ErrorCode);
        Assert.Contains("limit", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On429TheClientWaitsAsLongAsRetryAfterSaysAndSucceeds()
    {
        // Through dependency injection, with a handler inside the retry loop that sees every attempt.
        var attempts = new AttemptCounter();
        var services = new ServiceCollection();
        services.AddCallLogClient(server.Client.BaseAddress!, server.SixtyAMinute).AddHttpMessageHandler(() => attempts);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<CallLogClient>();

        // Sixty a minute is one a second: spend the burst until the server refuses, then ask through the client.
        // A token may arrive between the two (1 s refills), so the scenario is tried until a refusal lands inside the client.
        for (var round = 0; round < 5 && attempts.Refused == 0; round++)
        {
            await SpendBudgetAsync(server.SixtyAMinute);
            attempts.Reset();
            var clock = Stopwatch.StartNew();
            var page = await client.ListCallsAsync(new CallListOptions { Limit = 1 }, Cancel);
            Assert.Equal(1, page.Limit);
            if (attempts.Refused > 0)
            {
                Assert.Equal(attempts.Refused + 1, attempts.Sent);
                Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));
            }
        }
        Assert.True(attempts.Refused > 0, "the server never refused a request inside the client, so no retry was exercised");
    }

    private async Task SpendBudgetAsync(string key)
    {
        for (var i = 0; i < 200; i++)
        {
            using var response = await server.Client.GetAsync("/api/v1/calls?limit=1", key);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return;
            }
        }
        Assert.Fail("200 requests never reached the key's budget");
    }

    private sealed class AttemptCounter : DelegatingHandler
    {
        private int _sent;
        private int _refused;

        public int Sent => _sent;

        public int Refused => _refused;

        public void Reset() => (_sent, _refused) = (0, 0);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref _refused);
            }
            return response;
        }
    }

    [Fact]
    public async Task AWaitLongerThanAllowedIsATypedExceptionWithRetryAfter()
    {
        // One a minute: the second request is refused with Retry-After: 60, longer than this client may wait.
        var client = server.ClientFor(server.OneAMinute, new CallLogClientOptions { MaxRetryDelay = TimeSpan.FromSeconds(5) });
        await client.ListCallsAsync(cancellationToken: Cancel);

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<CallLogException>(() => client.ListCallsAsync(cancellationToken: Cancel));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the client waited {clock.Elapsed} instead of giving up at once");

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal("rate_limit_exceeded", error.ErrorCode);
        Assert.NotNull(error.RetryAfter);
        Assert.InRange(error.RetryAfter.Value.TotalSeconds, 30, 60);
    }

}

public sealed class ClientTestsOnSqlite(ClientServer<SqliteStore> server) : ClientTests<SqliteStore>(server), IClassFixture<ClientServer<SqliteStore>>;

public sealed class ClientTestsOnPostgres(ClientServer<PostgresStore> server) : ClientTests<PostgresStore>(server), IClassFixture<ClientServer<PostgresStore>>;
