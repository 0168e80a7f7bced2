using System.Net;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

public abstract class CursorTests<TStore>(CrowdedCallsServer<TStore> server) where TStore : TestStore, new()
{
    private async Task<JsonElement> GetAsync(string query, string? key = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await server.Client.GetAsync($"/api/v1/calls{query}", key ?? server.Reader);
        return await response.JsonAsync(expected);
    }

    private static IEnumerable<string> Ids(JsonElement page) => page.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("id").GetString()!);

    private static IReadOnlyList<string> Expected(Func<TestCall, bool> filter) =>
        [.. CrowdedCalls.All.Where(filter)
            .OrderByDescending(c => c.StartedAt, StringComparer.Ordinal).ThenByDescending(c => c.Id, StringComparer.Ordinal).Select(c => c.Id)];

    [Theory]
    [InlineData("", null, null, null)]
    [InlineData("&status=failed", null, "failed", null)]
    [InlineData("&type=outbound", null, null, "outbound")]
    [InlineData("&agent_id=12345", "assistant_12345", null, null)]
    [InlineData("&agent_id=agent_b&status=completed&type=outbound", "agent_b", "completed", "outbound")]
    public async Task WalkingByCursorYieldsEveryCallOnceInOrder(string filters, string? agent, string? status, string? type)
    {
        var expected = Expected(c => (agent is null || c.AgentId == agent) && (status is null || c.Status == status) && (type is null || c.Type == type));
        var seen = new List<string>();

        var page = await GetAsync($"?limit=7{filters}");
        seen.AddRange(Ids(page));
        var requests = 1;
        while (page.GetProperty("next_cursor").GetString() is { } cursor)
        {
            page = await GetAsync($"?limit=7{filters}&cursor={cursor}");
            Assert.Equal(JsonValueKind.Null, page.GetProperty("page").ValueKind);
            Assert.Equal(expected.Count, page.GetProperty("count").GetInt64());
            seen.AddRange(Ids(page));
            Assert.True(++requests <= expected.Count / 7 + 2, "the walk does not end");
        }

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task TheCursorOfAPageContinuesExactlyWherePagesContinue()
    {
        var first = await GetAsync("?limit=20");
        var second = await GetAsync("?limit=20&page=2");

        var next = await GetAsync($"?limit=20&cursor={first.GetProperty("next_cursor").GetString()}");

        Assert.Equal(Ids(second), Ids(next));
        Assert.Equal(1, first.GetProperty("page").GetInt32());
    }

    [Fact]
    public async Task TheLastPageHasNoNextCursor()
    {
        var last = await GetAsync("?limit=100&page=2");
        Assert.Equal(50, last.GetProperty("calls").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("next_cursor").ValueKind);

        var exact = await GetAsync("?limit=50&page=3");
        Assert.Equal(JsonValueKind.Null, exact.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task AnAlteredCursorIsRefused()
    {
        var cursor = (await GetAsync("?limit=5")).GetProperty("next_cursor").GetString()!;
        var middle = cursor.Length / 2;
        var altered = cursor[..middle] + (cursor[middle] == 'A' ? 'B' : 'A') + cursor[(middle + 1)..];

        using var response = await server.Client.GetAsync($"/api/v1/calls?limit=5&cursor={altered}", server.Reader);

        Assert.Contains("cursor", await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("&status=failed")]
    [InlineData("&type=inbound")]
    [InlineData("&agent_id=agent_b")]
    public async Task ACursorUsedWithOtherFiltersIsRefused(string otherFilters)
    {
        var cursor = (await GetAsync("?limit=5")).GetProperty("next_cursor").GetString()!;

        using var response = await server.Client.GetAsync($"/api/v1/calls?limit=5&cursor={cursor}{otherFilters}", server.Reader);

        await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error");
    }

    [Fact]
    public async Task ACursorFromAnotherWorkspaceIsRefused()
    {
        var cursor = (await GetAsync("?limit=5")).GetProperty("next_cursor").GetString()!;

        using var response = await server.Client.GetAsync($"/api/v1/calls?limit=5&cursor={cursor}", server.OtherWorkspaceReader);

        await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error");
    }

    [Theory]
    [InlineData("?page=1&cursor=abc", "page")]
    [InlineData("?cursor=", "cursor")]
    [InlineData("?cursor=not*base64", "cursor")]
    [InlineData("?cursor=AQ", "cursor")]
    [InlineData("?cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "cursor")]
    public async Task MalformedCursorsAreValidationErrors(string query, string named)
    {
        using var response = await server.Client.GetAsync($"/api/v1/calls{query}", server.Reader);

        Assert.Contains(named, await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
    }
}

public sealed class CursorTestsOnSqlite(CrowdedCallsServer<SqliteStore> server) : CursorTests<SqliteStore>(server), IClassFixture<CrowdedCallsServer<SqliteStore>>;

public sealed class CursorTestsOnPostgres(CrowdedCallsServer<PostgresStore> server) : CursorTests<PostgresStore>(server), IClassFixture<CrowdedCallsServer<PostgresStore>>;
