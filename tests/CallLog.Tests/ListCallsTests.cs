using System.Net;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

public abstract class ListCallsTests<TStore>(KnownCallsServer<TStore> server) where TStore : TestStore, new()
{
    private static readonly string[] SeedFields =
        ["id", "agent_id", "agent_name", "status", "type", "phone_number", "started_at", "ended_at",
         "duration_seconds", "summary", "recording_url", "contact"];

    private async Task<JsonElement> ListAsync(string query)
    {
        using var response = await server.Client.GetAsync($"/api/v1/calls{query}", server.AcmeReader);
        return await response.JsonAsync(HttpStatusCode.OK);
    }

    private static string[] Ids(JsonElement page) => [.. page.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("id").GetString()!)];

    [Fact]
    public async Task DefaultRequestReturnsTheSeedEnvelopeWithTenNewestCalls()
    {
        var page = await ListAsync("");

        Assert.Equal(KnownCalls.Count, page.GetProperty("count").GetInt64());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(10, page.GetProperty("limit").GetInt32());
        Assert.Equal(7, page.GetProperty("pages").GetInt64()); // ceil(61 / 10)
        Assert.Equal(KnownCalls.Ordered().Take(10).Select(c => c.Id), Ids(page));
        Assert.Equal(["count", "page", "limit", "pages", "calls", "next_cursor"], page.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("&agent_id=12345")]
    [InlineData("&status=completed,failed&type=outbound")]
    [InlineData("&sort=-duration_seconds")]
    [InlineData("&sort=started_at&agent_id=sales_bot")]
    public async Task PagesByNumberReadOnFromRememberedStartsAndMatchTheCursorWalk(string filters)
    {
        var walked = new List<string>();
        var page = await ListAsync($"?limit=4{filters}");
        walked.AddRange(Ids(page));
        while (page.GetProperty("next_cursor").GetString() is { } cursor)
        {
            page = await ListAsync($"?limit=4{filters}&cursor={cursor}");
            walked.AddRange(Ids(page));
        }
        var pages = (walked.Count + 3) / 4;
        Assert.True(pages >= 3, "the filter leaves too few calls to page through");
        async Task AssertPagesAsync(IEnumerable<int> numbers)
        {
            foreach (var number in numbers)
            {
                Assert.Equal(walked.Skip((number - 1) * 4).Take(4), Ids(await ListAsync($"?limit=4&page={number}{filters}")));
            }
        }

        // Backwards first: each page counts its way in (unless an earlier request remembered its start)
        // and remembers its own start.
        await AssertPagesAsync(Enumerable.Range(2, pages - 1).Reverse());
        var hits = await server.CounterAsync("calllog_pages_starts_total", "result=\"hit\"") ?? 0;
        var misses = await server.CounterAsync("calllog_pages_starts_total", "result=\"miss\"") ?? 0;

        // Then forwards (each page starts where the page before it ended) and a jump back to the last
        // page: every one past the first reads on from a remembered start.
        await AssertPagesAsync(Enumerable.Range(1, pages).Append(pages));
        Assert.Equal(hits + pages, await server.CounterAsync("calllog_pages_starts_total", "result=\"hit\""));
        Assert.Equal(misses, await server.CounterAsync("calllog_pages_starts_total", "result=\"miss\"") ?? 0);
    }

    [Fact]
    public async Task EachCallIsWrittenByteForByteAsExportWritesIt()
    {
        // The list writes its JSON straight from the store's rows; export serializes calls. Same bytes:
        // field order, nulls (agent name, contact, contact fields), timestamps, escaping.
        using var response = await server.Client.GetAsync("/api/v1/calls?limit=100", server.AcmeReader);
        var listed = (await response.JsonAsync(HttpStatusCode.OK)).GetProperty("calls").EnumerateArray().Select(c => c.GetRawText());

        var exported = await server.Store.ExportLinesAsync("--workspace", "acme");

        Assert.Equal(KnownCalls.Count, exported.Length);
        Assert.Equal(exported, listed);
    }

    [Fact]
    public async Task EveryCallCarriesEverySeedFieldWithNullsAndSeedTimestamps()
    {
        var page = await ListAsync("?limit=100");

        foreach (var call in page.GetProperty("calls").EnumerateArray())
        {
            Assert.Equal(SeedFields, call.EnumerateObject().Select(p => p.Name));
            var expected = KnownCalls.All.Single(c => c.Id == call.GetProperty("id").GetString());
            Assert.Equal(expected.AgentId, call.GetProperty("agent_id").GetString());
            Assert.Equal(expected.AgentName, call.GetProperty("agent_name").GetString());
            Assert.Equal(expected.Status, call.GetProperty("status").GetString());
            Assert.Equal(expected.Type, call.GetProperty("type").GetString());
            Assert.Equal(expected.PhoneNumber, call.GetProperty("phone_number").GetString());
            Assert.Matches(Patterns.SeedTimestamp(), call.GetProperty("started_at").GetString());
            Assert.Equal(expected.StartedAt, call.GetProperty("started_at").GetString());
            Assert.Equal(expected.EndedAt, call.GetProperty("ended_at").GetString());
            Assert.Equal(expected.Summary, call.GetProperty("summary").GetString());
            Assert.Equal(expected.RecordingUrl, call.GetProperty("recording_url").GetString());
            if (expected.DurationSeconds is { } duration)
            {
                Assert.Equal(duration, call.GetProperty("duration_seconds").GetInt32());
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, call.GetProperty("duration_seconds").ValueKind);
            }
            var contact = call.GetProperty("contact");
            if (expected.Contact is null)
            {
                Assert.Equal(JsonValueKind.Null, contact.ValueKind);
            }
            else
            {
                Assert.Equal(["id", "name", "email", "company"], contact.EnumerateObject().Select(p => p.Name));
                Assert.Equal(expected.Contact.Id, contact.GetProperty("id").GetInt64());
                Assert.Equal(expected.Contact.Name, contact.GetProperty("name").GetString());
                Assert.Equal(expected.Contact.Company, contact.GetProperty("company").GetString());
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(100)]
    public async Task WalkingEveryPageYieldsEveryCallOnceInOrder(int limit)
    {
        var seen = new List<string>();
        var first = await ListAsync($"?limit={limit}");
        var pages = first.GetProperty("pages").GetInt64();
        Assert.Equal((KnownCalls.Count + limit - 1) / limit, pages);
        for (var page = 1; page <= pages; page++)
        {
            var body = await ListAsync($"?limit={limit}&page={page}");
            Assert.Equal(page, body.GetProperty("page").GetInt32());
            Assert.Equal(KnownCalls.Count, body.GetProperty("count").GetInt64());
            seen.AddRange(Ids(body));
        }
        Assert.Equal(KnownCalls.Ordered().Select(c => c.Id), seen);
    }

    [Fact]
    public async Task APagePastTheEndIsEmptyNotAnError()
    {
        var page = await ListAsync("?page=8");

        Assert.Empty(page.GetProperty("calls").EnumerateArray());
        Assert.Equal(KnownCalls.Count, page.GetProperty("count").GetInt64());
        Assert.Equal(8, page.GetProperty("page").GetInt32());
        Assert.Equal(7, page.GetProperty("pages").GetInt64());

        var far = await ListAsync("?page=2147483647&limit=100");
        Assert.Empty(far.GetProperty("calls").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(FilterCombinations.All), MemberType = typeof(FilterCombinations))]
    public async Task EveryFilterCombinationCountsAndListsExactlyTheMatchingCalls(string query, string? agent, string? status, string? type)
    {
        var expected = KnownCalls.Ordered(c =>
            (agent is null || c.AgentId == agent) && (status is null || c.Status == status) && (type is null || c.Type == type));

        var page = await ListAsync(query);

        Assert.Equal(expected.Count, page.GetProperty("count").GetInt64());
        Assert.Equal(expected.Select(c => c.Id), Ids(page));
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("assistant_12345")]
    public async Task AgentIdFindsAnAssistantByItsNumberOrItsFullId(string agentId)
    {
        var expected = KnownCalls.Ordered(c => c.AgentId == "assistant_12345");

        var page = await ListAsync($"?agent_id={agentId}&limit=100");

        Assert.Equal(expected.Count, page.GetProperty("count").GetInt64());
        Assert.Equal(expected.Select(c => c.Id), Ids(page));
    }

    [Fact]
    public async Task TheSeedExampleRequestWorksAsWritten()
    {
        var expected = KnownCalls.Ordered(c => c.AgentId == "assistant_12345" && c.Type == "outbound");

        var page = await ListAsync("?agent_id=12345&type=outbound&page=1&limit=25");

        Assert.Equal(expected.Count, page.GetProperty("count").GetInt64());
        Assert.Equal(25, page.GetProperty("limit").GetInt32());
        Assert.Equal(expected.Select(c => c.Id).Take(25), Ids(page));
    }

    [Fact]
    public async Task AnUnknownAgentMatchesNothing()
    {
        var page = await ListAsync("?agent_id=nobody");

        Assert.Equal(0, page.GetProperty("count").GetInt64());
        Assert.Equal(0, page.GetProperty("pages").GetInt64());
        Assert.Empty(page.GetProperty("calls").EnumerateArray());
    }

    [Fact]
    public async Task AKeySeesOnlyItsOwnWorkspace()
    {
        using var response = await server.Client.GetAsync("/api/v1/calls?limit=100", server.GlobexReader);
        var page = await response.JsonAsync(HttpStatusCode.OK);

        Assert.Equal(2, page.GetProperty("count").GetInt64());
        Assert.Equal(["globex_call_1", "call_000"], Ids(page));
        // call_000 exists in both workspaces under the same id: each sees its own.
        Assert.Equal("completed", page.GetProperty("calls")[1].GetProperty("status").GetString());
        Assert.Equal("John Doe", page.GetProperty("calls")[1].GetProperty("contact").GetProperty("name").GetString());
    }
}

public sealed class ListCallsTestsOnSqlite(KnownCallsServer<SqliteStore> server) : ListCallsTests<SqliteStore>(server), IClassFixture<KnownCallsServer<SqliteStore>>;

public sealed class ListCallsTestsOnPostgres(KnownCallsServer<PostgresStore> server) : ListCallsTests<PostgresStore>(server), IClassFixture<KnownCallsServer<PostgresStore>>;

/// <summary>Every combination of the seed's three filters over the known calls, as a query and its parts.</summary>
public static class FilterCombinations
{
    /// <summary>The seed's filters as a query string, leaving out the ones not given.</summary>
    public static string Query(string? agent, string? status, string? type) =>
        string.Join('&', new[] { ("agent_id", agent), ("status", status), ("type", type) }
            .Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={p.Item2}"));

    public static TheoryData<string, string?, string?, string?> All()
    {
        var data = new TheoryData<string, string?, string?, string?>();
        string?[] agents = [null, "assistant_12345", "assistant_777", "sales_bot"];
        string?[] statuses = [null, "completed", "failed", "in-progress"];
        string?[] types = [null, "inbound", "outbound"];
        foreach (var agent in agents)
        {
            foreach (var status in statuses)
            {
                foreach (var type in types)
                {
                    data.Add("?limit=100&" + Query(agent, status, type), agent, status, type);
                }
            }
        }
        return data;
    }
}
