using System.Net;
using CallLog.Kiota.Api.V1.Calls;
using CallLog.Kiota.Models;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>
/// A client generated from docs/openapi.json by Kiota, as a user of another language's generator would
/// get it, driving a real server through Prism's validating proxy: every call must work as documented,
/// Prism must refuse no request and flag no response.
/// </summary>
public abstract class KiotaClientTests<TStore>(PrismServer<TStore> server) where TStore : TestStore, new()
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The ids the raw API lists for a query, every page, read directly from the server.</summary>
    private async Task<(long Count, List<string> Ids)> RawAsync(string query)
    {
        var ids = new List<string>();
        long count = 0;
        string? cursor = null;
        do
        {
            using var response = await server.Client.GetAsync($"/api/v1/calls?limit=100&{query}{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}", server.Key);
            var page = await response.JsonAsync(HttpStatusCode.OK);
            count = page.GetProperty("count").GetInt64();
            ids.AddRange(page.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        return (count, ids);
    }

    [Fact]
    public async Task ItListsWithEveryFilterIncludingFractionalTimeBoundsAndWalksCursors()
    {
        // Kiota sends DateTimeOffset bounds with fractional seconds and an offset: the server truncates them to the second.
        var after = new DateTimeOffset(2025, 4, 1, 11, 5, 0, 250, TimeSpan.FromHours(2));
        var before = new DateTimeOffset(2025, 4, 1, 9, 25, 0, 900, TimeSpan.Zero);
        var page = await server.Kiota.Api.V1.Calls.GetAsync(r =>
        {
            r.QueryParameters.AgentId = "12345";
            r.QueryParameters.Status = [GetStatusQueryParameterType.Completed, GetStatusQueryParameterType.Failed];
            r.QueryParameters.Type = [GetTypeQueryParameterType.Outbound];
            r.QueryParameters.StartedAfter = after;
            r.QueryParameters.StartedBefore = before;
            r.QueryParameters.Sort = CallSort.Minus_duration_seconds;
            r.QueryParameters.Limit = 100;
        }, Cancel);
        var expected = await RawAsync("agent_id=12345&status=completed,failed&type=outbound&started_after=2025-04-01T09:05:00Z&started_before=2025-04-01T09:25:00Z&sort=-duration_seconds");
        Assert.NotEmpty(expected.Ids);
        Assert.Equal(expected.Count, page!.Count);
        Assert.Equal(expected.Ids, page.Calls!.Select(c => c.Id));
        Assert.All(page.Calls!, c => Assert.Equal("assistant_12345", c.AgentId));

        var known = KnownCalls.All.First(c => c.Contact is { Name: not null });
        var narrow = await server.Kiota.Api.V1.Calls.GetAsync(r =>
        {
            r.QueryParameters.PhoneNumber = known.PhoneNumber;
            r.QueryParameters.ContactId = (int)known.Contact!.Id;
            r.QueryParameters.Q = known.Contact.Name;
            r.QueryParameters.Page = 1;
        }, Cancel);
        Assert.Equal(known.Id, Assert.Single(narrow!.Calls!).Id);
        Assert.Equal(known.Contact!.Email, narrow.Calls![0].Contact!.Email);

        // A cursor walk, seven at a time, sees every call once, in the list's order.
        var walked = new List<string>();
        string? cursor = null;
        do
        {
            var next = await server.Kiota.Api.V1.Calls.GetAsync(r =>
            {
                r.QueryParameters.Limit = 7;
                r.QueryParameters.Cursor = cursor;
                r.QueryParameters.Type = [GetTypeQueryParameterType.Inbound];
            }, Cancel);
            walked.AddRange(next!.Calls!.Select(c => c.Id!));
            cursor = next.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal((await RawAsync("type=inbound")).Ids, walked);
        server.Traffic.AssertClean(server.Prism.Log);
    }

    [Fact]
    public async Task ItWritesReadsPatchesWithANullThatRemovesAKeyAndDeletesACall()
    {
        var id = TestCall.NewId();
        var calls = server.Kiota.Api.V1.Calls[id];
        var input = new CallInput
        {
            AgentId = "assistant_kiota",
            AgentName = "Kiota Agent",
            Status = CallStatus.InProgress,
            Type = CallType.Outbound,
            PhoneNumber = "+15550009999",
            StartedAt = new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero),
            Contact = new CallContactInput { Id = 9001, Name = "Grace", Email = "grace@example.com" },
            Metadata = new MetadataInput { AdditionalData = { ["campaign"] = "spring", ["crm"] = "42" } },
        };
        var created = await calls.PutAsync(input, cancellationToken: Cancel);
        Assert.Equal(id, created!.Id);
        Assert.Equal(CallStatus.InProgress, created.Status);
        Assert.Equal("Kiota Agent", created.AgentName);

        // A merge patch whose null removes one metadata key and leaves the other.
        var patched = await calls.PatchAsync(new CallPatch
        {
            Status = CallStatus.Completed,
            EndedAt = new DateTimeOffset(2025, 6, 1, 10, 3, 0, TimeSpan.Zero),
            Summary = "Booked a demo.",
            Metadata = new MetadataInput { AdditionalData = { ["campaign"] = null! } },
        }, cancellationToken: Cancel);
        Assert.Equal(CallStatus.Completed, patched!.Status);
        Assert.Equal(180, patched.DurationSeconds);

        using (var raw = await server.Client.GetAsync($"/api/v1/calls/{id}", server.Key))
        {
            var metadata = (await raw.JsonAsync(HttpStatusCode.OK)).GetProperty("metadata");
            Assert.Equal("""{"crm":"42"}""", metadata.GetRawText());
        }
        var read = await calls.GetAsync(cancellationToken: Cancel);
        Assert.Equal("Booked a demo.", read!.Summary);
        Assert.Equal("grace@example.com", read.Contact!.Email);
        Assert.Equal(["crm"], read.Metadata!.AdditionalData.Keys);

        // A stale If-Match is a typed error; a current one deletes.
        var stale = await Assert.ThrowsAsync<ApiError>(() => calls.DeleteAsync(r => r.Headers.Add("If-Match", "\"1\""), Cancel));
        Assert.Equal(412, stale.ResponseStatusCode);
        Assert.Equal(ErrorCode.Precondition_failed, stale.Error);
        await calls.DeleteAsync(r => r.Headers.Add("If-Match", "\"2\""), Cancel);
        var gone = await Assert.ThrowsAsync<ApiError>(() => calls.GetAsync(cancellationToken: Cancel));
        Assert.Equal(ErrorCode.Not_found, gone.Error);
        Assert.Contains(id, gone.Message, StringComparison.Ordinal);
        server.Traffic.AssertClean(server.Prism.Log);
    }

    [Fact]
    public async Task ItManagesAgentsAndContacts()
    {
        var agent = await server.Kiota.Api.V1.Agents["assistant_kiota_agents"].PutAsync(new AgentInput { Name = "Closer" }, cancellationToken: Cancel);
        Assert.Equal("Closer", agent!.Name);
        var agents = await server.Kiota.Api.V1.Agents.GetAsync(r => r.QueryParameters.Limit = 100, Cancel);
        Assert.Contains(agents!.Agents!, a => a.Id == "assistant_kiota_agents" && a.Name == "Closer");
        Assert.Contains(agents.Agents!, a => a.Id == "assistant_12345" && a.CallCount > 0);

        var contact = await server.Kiota.Api.V1.Contacts[4242].PutAsync(
            new ContactInput { Name = "Ada Kiota", Email = "ada@example.com", Company = "Engines Ltd", PhoneNumber = "+15550004242" }, cancellationToken: Cancel);
        Assert.Equal(4242, contact!.Id);
        var found = await server.Kiota.Api.V1.Contacts.GetAsync(r => r.QueryParameters.Search = "engines", Cancel);
        Assert.Equal("Ada Kiota", Assert.Single(found!.Contacts!).Name);
        var read = await server.Kiota.Api.V1.Contacts[4242].GetAsync(cancellationToken: Cancel);
        Assert.Equal("+15550004242", read!.PhoneNumber);
        server.Traffic.AssertClean(server.Prism.Log);
    }

    [Fact]
    public async Task ErrorsArriveTyped()
    {
        // A key that may not write: permission_denied.
        var readOnly = new PrismTraffic(server.ReadOnly);
        using (var http = new HttpClient(readOnly))
        {
            var denied = await Assert.ThrowsAsync<ApiError>(() => server.For(http).Api.V1.Agents.GetAsync(cancellationToken: Cancel));
            Assert.Equal(403, denied.ResponseStatusCode);
            Assert.Equal(ErrorCode.Permission_denied, denied.Error);
        }
        readOnly.AssertClean(server.Prism.Log);
        var wrong = new PrismTraffic("klen_not_a_key");
        using (var http = new HttpClient(wrong))
        {
            var invalid = await Assert.ThrowsAsync<ApiError>(() => server.For(http).Api.V1.Calls.GetAsync(cancellationToken: Cancel));
            Assert.Equal(401, invalid.ResponseStatusCode);
            Assert.Equal(ErrorCode.Invalid_key, invalid.Error);
        }
        wrong.AssertClean(server.Prism.Log);
        // What the schema allows but the server refuses: a cursor that is not one.
        var bad = await Assert.ThrowsAsync<ApiError>(() => server.Kiota.Api.V1.Calls.GetAsync(r => r.QueryParameters.Cursor = "not-a-cursor", Cancel));
        Assert.Equal(ErrorCode.Validation_error, bad.Error);
        Assert.Contains("cursor", bad.Message, StringComparison.Ordinal);
        server.Traffic.AssertClean(server.Prism.Log);
    }
}

public sealed class KiotaClientTestsOnSqlite(PrismServer<SqliteStore> server) : KiotaClientTests<SqliteStore>(server), IClassFixture<PrismServer<SqliteStore>>;

public sealed class KiotaClientTestsOnPostgres(PrismServer<PostgresStore> server) : KiotaClientTests<PostgresStore>(server), IClassFixture<PrismServer<PostgresStore>>;
