using System.Globalization;
using System.Net;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>The filter cases and what each must return, computed from the known calls alone.</summary>
public static class FilterCases
{
    private static DateTimeOffset Started(TestCall c) => DateTimeOffset.Parse(c.StartedAt, CultureInfo.InvariantCulture);

    private static readonly DateTimeOffset At0910 = new(2025, 4, 1, 9, 10, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset At0920 = new(2025, 4, 1, 9, 20, 0, TimeSpan.Zero);

    public static TheoryData<string, string> Filters => new()
    {
        { "status=completed,failed", "status completed or failed" },
        { "type=inbound,outbound", "all" },
        { "status=in-progress,completed&type=inbound", "in-progress or completed, inbound" },
        { "started_after=2025-04-01T09:10:00Z&started_before=2025-04-01T09:20:00Z", "09:10 <= started < 09:20" },
        { "started_after=2025-04-01T11:10:00%2B02:00", "started >= 09:10" },
        // Fractions of a second, as generated clients send bounds: a call starts on a whole second, so a bound with a fraction is the next one.
        { "started_after=2025-04-01T09:10:00.0000000%2B00:00&started_before=2025-04-01T09:20:00.0000000%2B00:00", "09:10 <= started < 09:20" },
        { "started_after=2025-04-01T09:09:00.5Z", "started >= 09:10" },
        { "started_before=2025-04-01T11:10:00+02:00", "started < 09:10" },
        { "phone_number=%2B15550000007", "phone +15550000007" },
        { "phone_number=+15550000007", "phone +15550000007" },
        { "phone_number=%2B155500000*", "phone starts +155500000" },
        { "phone_number=%2B15551234567", "none" },
        { "contact_id=1012", "contact 1012" },
        { "contact_id=123", "none" },
        { "q=PERSON%201", "search person 1" },
        { "q=summary%20of%20call%203", "search summary of call 3" },
        { "q=5550000012", "search 5550000012" },
        { "q=100%25", "none" },
        { "sort=started_at", "all, started ascending" },
        { "sort=-duration_seconds", "all, longest first" },
        { "sort=duration_seconds&status=completed,in-progress", "completed or in-progress, shortest first" },
        { "agent_id=777&status=completed,failed&started_after=2025-04-01T09:05:00Z&sort=duration_seconds", "agent 777, finished, from 09:05, shortest first" },
        { "agent_id=assistant_12345&phone_number=%2B15550000*&sort=-started_at", "agent 12345, phone starts +15550000" },
    };

    public static IReadOnlyList<TestCall> Expected(string name)
    {
        var all = KnownCalls.All;
        IEnumerable<TestCall> matching = name switch
        {
            "status completed or failed" => all.Where(c => c.Status is "completed" or "failed"),
            "all" or "all, started ascending" or "all, longest first" => all,
            "in-progress or completed, inbound" => all.Where(c => c.Status is "in-progress" or "completed" && c.Type == "inbound"),
            "09:10 <= started < 09:20" => all.Where(c => Started(c) >= At0910 && Started(c) < At0920),
            "started >= 09:10" => all.Where(c => Started(c) >= At0910),
            "started < 09:10" => all.Where(c => Started(c) < At0910),
            "phone +15550000007" => all.Where(c => c.PhoneNumber == "+15550000007"),
            "phone starts +155500000" => all.Where(c => c.PhoneNumber.StartsWith("+155500000", StringComparison.Ordinal)),
            "none" => [],
            "contact 1012" => all.Where(c => c.Contact?.Id == 1012),
            "search person 1" => all.Where(c => Contains(c.Contact?.Name, "person 1") || Contains(c.Summary, "person 1") || Contains(c.PhoneNumber, "person 1")),
            "search summary of call 3" => all.Where(c => Contains(c.Summary, "summary of call 3")),
            "search 5550000012" => all.Where(c => c.PhoneNumber.Contains("5550000012", StringComparison.Ordinal)),
            "completed or in-progress, shortest first" => all.Where(c => c.Status is "completed" or "in-progress"),
            "agent 777, finished, from 09:05, shortest first" =>
                all.Where(c => c.AgentId == "assistant_777" && c.Status is "completed" or "failed" && Started(c) >= At0910.AddMinutes(-5)),
            "agent 12345, phone starts +15550000" => all.Where(c => c.AgentId == "assistant_12345" && c.PhoneNumber.StartsWith("+15550000", StringComparison.Ordinal)),
            _ => throw new ArgumentException(name),
        };
        return name switch
        {
            "all, started ascending" => [.. matching.OrderBy(Started).ThenBy(c => c.Id, StringComparer.Ordinal)],
            "all, longest first" => [.. matching.OrderByDescending(c => c.DurationSeconds ?? -1).ThenByDescending(c => c.Id, StringComparer.Ordinal)],
            _ when name.EndsWith("shortest first", StringComparison.Ordinal) => [.. matching.OrderBy(c => c.DurationSeconds ?? -1).ThenBy(c => c.Id, StringComparer.Ordinal)],
            _ => [.. matching.OrderByDescending(Started).ThenByDescending(c => c.Id, StringComparer.Ordinal)],
        };
    }

    private static bool Contains(string? text, string part) => text?.Contains(part, StringComparison.OrdinalIgnoreCase) == true;
}

/// <summary>
/// The richer list filters and sorts, each checked against the known calls computed independently:
/// the exact count, and every call in order, walked both by page number and by cursor.
/// </summary>
public abstract class FilterTests<TStore>(KnownCallsServer<TStore> server) where TStore : TestStore, new()
{
    private async Task<JsonElement> ListAsync(string query)
    {
        using var response = await server.Client.GetAsync($"/api/v1/calls?{query}", server.AcmeReader);
        return await response.JsonAsync(HttpStatusCode.OK);
    }

    private static IEnumerable<string> Ids(JsonElement page) => page.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("id").GetString()!);

    [Theory]
    [MemberData(nameof(FilterCases.Filters), MemberType = typeof(FilterCases))]
    public async Task EveryFilterAndSortCountsExactlyAndPagesInOrder(string query, string name)
    {
        var expected = FilterCases.Expected(name).Select(c => c.Id).ToList();

        // By page number.
        var first = await ListAsync($"{query}&limit=7");
        Assert.Equal(expected.Count, first.GetProperty("count").GetInt64());
        var byPage = Ids(first).ToList();
        for (var page = 2; page <= first.GetProperty("pages").GetInt64(); page++)
        {
            byPage.AddRange(Ids(await ListAsync($"{query}&limit=7&page={page}")));
        }
        Assert.Equal(expected, byPage);

        // By cursor, from the same first page.
        var byCursor = Ids(first).ToList();
        for (var cursor = first.GetProperty("next_cursor"); cursor.ValueKind == JsonValueKind.String;)
        {
            var next = await ListAsync($"{query}&limit=7&cursor={cursor.GetString()}");
            Assert.Equal(expected.Count, next.GetProperty("count").GetInt64());
            byCursor.AddRange(Ids(next));
            cursor = next.GetProperty("next_cursor");
        }
        Assert.Equal(expected, byCursor);
    }

    [Theory]
    [InlineData("status=completed,bogus", "status must be one of completed, failed, in-progress")]
    [InlineData("type=inbound,", "type must be one of inbound, outbound")]
    [InlineData("started_after=yesterday", "started_after must be an ISO-8601 time")]
    [InlineData("started_before=2025-04-01T09:10:00", "started_before must be an ISO-8601 time")]
    [InlineData("started_after=2025-04-01T09:10:00Z&started_before=2025-04-01T09:10:00Z", "started_after must be earlier than started_before")]
    [InlineData("phone_number=5551234567", "phone_number must be an E.164 number")]
    [InlineData("phone_number=%2B1555*9", "phone_number must be an E.164 number")]
    [InlineData("contact_id=0", "contact_id must be a positive integer")]
    [InlineData("contact_id=abc", "contact_id must be a positive integer")]
    [InlineData("q=%20", "q must be 1-200 characters")]
    [InlineData("sort=duration", "sort must be one of -started_at, started_at, -duration_seconds, duration_seconds")]
    public async Task BadFilterValuesAreNamed(string query, string expected)
    {
        using var response = await server.Client.GetAsync($"/api/v1/calls?{query}", server.AcmeReader);
        Assert.Contains(expected, await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sort=-duration_seconds", "sort=duration_seconds")]
    [InlineData("phone_number=%2B1555*", "phone_number=%2B15550*")]
    [InlineData("q=person", "q=persona")]
    [InlineData("started_after=2025-04-01T09:10:00Z", "started_after=2025-04-01T09:10:01Z")]
    public async Task ACursorOnlyContinuesTheFiltersAndSortItWasMadeFor(string made, string used)
    {
        var first = await ListAsync($"{made}&limit=2");
        var cursor = first.GetProperty("next_cursor").GetString();
        Assert.NotNull(cursor);

        using var response = await server.Client.GetAsync($"/api/v1/calls?{used}&limit=2&cursor={cursor}", server.AcmeReader);

        await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error");
    }
}

public sealed class FilterTestsOnSqlite(KnownCallsServer<SqliteStore> server) : FilterTests<SqliteStore>(server), IClassFixture<KnownCallsServer<SqliteStore>>;

public sealed class FilterTestsOnPostgres(KnownCallsServer<PostgresStore> server) : FilterTests<PostgresStore>(server), IClassFixture<KnownCallsServer<PostgresStore>>;
