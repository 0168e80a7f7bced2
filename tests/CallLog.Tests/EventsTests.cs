using System.Net;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>The event log and its feed: every change writes its events with it, in commit order, read once each.</summary>
public abstract class EventsTests<TStore>(WritableServer<TStore> server) where TStore : TestStore, new()
{
    private static string Call(string status, string extra = "") =>
        $$"""{"agent_id":"assistant_ev","status":"{{status}}","type":"inbound","phone_number":"+15557654321","started_at":"2025-05-01T09:00:00Z"{{extra}}}""";

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json", string? ifMatch = null)
    {
        using var response = await server.SendAsync(method, path, server.Writer, body, ifMatch, contentType);
        return response.StatusCode;
    }

    private Task<HttpStatusCode> PatchAsync(string id, string body, string? ifMatch = null) =>
        SendAsync(HttpMethod.Patch, $"/api/v1/calls/{id}", body, "application/merge-patch+json", ifMatch);

    /// <summary>One page of the feed.</summary>
    private async Task<JsonElement> PageAsync(string query, string? key = null)
    {
        using var response = await server.Client.GetAsync($"/api/v1/events?{query}", key ?? server.Reader);
        return await response.JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>Every event after <paramref name="after"/>, page by page, as a consumer reads them; and the position to read on from.</summary>
    private async Task<(List<JsonElement> Events, string? Next)> ReadAllAsync(string? after, string extra = "")
    {
        var events = new List<JsonElement>();
        while (true)
        {
            var page = await PageAsync($"limit=100{(after is null ? "" : $"&after={after}")}{extra}");
            var batch = page.GetProperty("events").EnumerateArray().ToList();
            events.AddRange(batch);
            after = page.GetProperty("next_after").GetString();
            if (batch.Count < 100)
            {
                return (events, after);
            }
        }
    }

    private static List<string> Types(IEnumerable<JsonElement> events) => [.. events.Select(e => e.GetProperty("type").GetString()!)];

    [Fact]
    public async Task EveryChangeWritesItsEventsInOrderAndAWriteThatChangesNothingWritesNone()
    {
        var (_, start) = await ReadAllAsync(null);
        var id = $"ev-{Guid.NewGuid():N}";

        Assert.Equal(HttpStatusCode.Created, await SendAsync(HttpMethod.Put, $"/api/v1/calls/{id}", Call("in-progress", ",\"agent_name\":\"Events Agent\"")));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Put, $"/api/v1/calls/{id}", Call("in-progress", ",\"agent_name\":\"Events Agent\"")));
        Assert.Equal(HttpStatusCode.OK, await PatchAsync(id, """{"summary":"Asked about refunds."}"""));
        Assert.Equal(HttpStatusCode.OK, await PatchAsync(id, """{"status":"completed","ended_at":"2025-05-01T09:04:00Z","transcript":"Agent: Hello","recording_url":"https://r.example/1.mp3"}"""));
        using (var get = await server.SendAsync(HttpMethod.Get, $"/api/v1/calls/{id}", server.Reader))
        {
            var ended = await ReadAllAsync(start);
            var endedEvent = ended.Events.Single(e => e.GetProperty("type").GetString() == "call.ended");
            Assert.Equal((await get.JsonAsync(HttpStatusCode.OK)).GetRawText(), endedEvent.GetProperty("data").GetProperty("call").GetRawText());
        }
        Assert.Equal(HttpStatusCode.OK, await PatchAsync(id, """{"metadata":{"crm":"42"}}"""));
        Assert.Equal(HttpStatusCode.Conflict, await PatchAsync(id, """{"status":"failed"}"""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await PatchAsync(id, """{"summary":"x"}""", ifMatch: "\"999\""));
        Assert.Equal(HttpStatusCode.BadRequest, await PatchAsync(id, """{"duration_seconds":-1}"""));
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(HttpMethod.Delete, $"/api/v1/calls/{id}"));
        Assert.Equal(HttpStatusCode.NotFound, await SendAsync(HttpMethod.Delete, $"/api/v1/calls/{id}"));
        var final = $"ev-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Created, await SendAsync(HttpMethod.Put, $"/api/v1/calls/{final}",
            Call("completed", ",\"ended_at\":\"2025-05-01T09:01:00Z\",\"summary\":\"Booked.\"")));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Put, "/api/v1/agents/assistant_ev", """{"name":"Renamed"}"""));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Put, "/api/v1/agents/assistant_ev", """{"name":"Renamed"}"""));
        using (var contact = await server.SendAsync(HttpMethod.Put, "/api/v1/contacts/4242", server.ContactsWriter, """{"name":"Eve","email":null,"company":null,"phone_number":null}"""))
        {
            Assert.True(contact.IsSuccessStatusCode);
        }

        var (events, _) = await ReadAllAsync(start);
        Assert.Equal(
            ["call.started", "agent.updated", "call.summary", "call.ended", "call.transcript", "call.recording", "call.updated", "call.deleted",
             "call.created", "call.summary", "agent.updated", "contact.updated"],
            Types(events));
        var first = events[0];
        Assert.Matches(@"^evt_\d+_\d{12}$", first.GetProperty("id").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", first.GetProperty("created_at").GetString());
        Assert.Equal("runtime", first.GetProperty("workspace").GetString());
        Assert.Equal(id, first.GetProperty("data").GetProperty("call").GetProperty("id").GetString());
        Assert.Equal("in-progress", first.GetProperty("data").GetProperty("call").GetProperty("status").GetString());
        Assert.Equal("Events Agent", events[1].GetProperty("data").GetProperty("agent").GetProperty("name").GetString());
        Assert.Equal("{\"call\":{\"id\":\"" + id + "\"}}", events[7].GetProperty("data").GetRawText());
        Assert.Equal("Renamed", events[10].GetProperty("data").GetProperty("agent").GetProperty("name").GetString());
        Assert.Equal("Eve", events[11].GetProperty("data").GetProperty("contact").GetProperty("name").GetString());
        var ids = events.Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public async Task ImportIsABackfillWithoutEventsAndWritesThemWithEvents()
    {
        var (_, start) = await ReadAllAsync(null);
        string Line(string id, string status, string summary) =>
            $$"""{"id":"{{id}}","agent_id":"assistant_ev","status":"{{status}}","type":"inbound","phone_number":"+15557654321","started_at":"2025-05-01T09:00:00Z"{{(status == "in-progress" ? "" : ",\"ended_at\":\"2025-05-01T09:02:00Z\"")}},"summary":{{(summary.Length == 0 ? "null" : $"\"{summary}\"")}}}""";
        var (a, b) = ($"imp-{Guid.NewGuid():N}", $"imp-{Guid.NewGuid():N}");

        var backfill = await server.Store.RunWithInputAsync(Line(a, "in-progress", "") + "\n", "import", "-", "--workspace", "runtime");
        Assert.True(backfill.ExitCode == 0, backfill.ToString());
        var (none, afterBackfill) = await ReadAllAsync(start);
        Assert.Empty(none);

        // a ends (call.ended, call.summary); b is new and already final (call.created); a line that changes nothing makes none.
        var eventful = await server.Store.RunWithInputAsync(
            Line(a, "completed", "Booked.") + "\n" + Line(b, "completed", "") + "\n" + Line(b, "completed", "") + "\n", "import", "-", "--workspace", "runtime", "--events");
        Assert.True(eventful.ExitCode == 0, eventful.ToString());
        var (events, afterEventful) = await ReadAllAsync(afterBackfill);
        Assert.Equal(["call.ended", "call.summary", "call.created"], Types(events));
        Assert.Equal("Booked.", events[0].GetProperty("data").GetProperty("call").GetProperty("summary").GetString());
        Assert.Equal(b, events[2].GetProperty("data").GetProperty("call").GetProperty("id").GetString());

        // All or nothing: a bad line leaves neither calls nor events.
        var c = $"imp-{Guid.NewGuid():N}";
        var broken = await server.Store.RunWithInputAsync(Line(c, "in-progress", "") + "\n{\"id\":\n", "import", "-", "--workspace", "runtime", "--events");
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("line 2", broken.Stderr);
        Assert.Empty((await ReadAllAsync(afterEventful)).Events);
        Assert.Equal(HttpStatusCode.NotFound, await SendAsync(HttpMethod.Get, $"/api/v1/calls/{c}"));
    }

    [Fact]
    public async Task TheFeedFiltersByTypePagesAfterAnIdAndRefusesWhatItCannotRead()
    {
        await SendAsync(HttpMethod.Put, "/api/v1/agents/assistant_ev", """{"name":"Feed"}""");
        var (_, start) = await ReadAllAsync(null);
        for (var i = 0; i < 3; i++)
        {
            var id = $"feed-{Guid.NewGuid():N}";
            await SendAsync(HttpMethod.Put, $"/api/v1/calls/{id}", Call("in-progress"));
            await PatchAsync(id, """{"status":"failed","ended_at":"2025-05-01T09:00:30Z"}""");
        }

        var (failed, _) = await ReadAllAsync(start, "&type=call.failed");
        Assert.Equal(3, failed.Count);
        var (calls, _) = await ReadAllAsync(start, "&type=call.*");
        Assert.Equal(["call.started", "call.failed", "call.started", "call.failed", "call.started", "call.failed"], Types(calls));
        var (both, _) = await ReadAllAsync(start, "&type=call.failed,agent.updated");
        Assert.Equal(3, both.Count);

        var two = await PageAsync($"after={start}&limit=2&type=call.*");
        Assert.Equal(2, two.GetProperty("events").GetArrayLength());
        var rest = await PageAsync($"after={two.GetProperty("next_after").GetString()}&type=call.*");
        Assert.Equal(Types(calls.Skip(2)), Types(rest.GetProperty("events").EnumerateArray()));
        var empty = await PageAsync($"after={rest.GetProperty("next_after").GetString()}");
        Assert.Equal(0, empty.GetProperty("events").GetArrayLength());
        Assert.Equal(rest.GetProperty("next_after").GetString(), empty.GetProperty("next_after").GetString());

        foreach (var query in new[] { "after=evt_nope", "after=evt_999999_000000000001", "type=call.exploded", "type=", "limit=0", "limit=101", "since=1", "after=1&after=2" })
        {
            using var refused = await server.Client.GetAsync($"/api/v1/events?{query}", server.Reader);
            Assert.Equal("validation_error", (await refused.JsonAsync(HttpStatusCode.BadRequest)).GetProperty("error").GetString());
        }
        using var forbidden = await server.Client.GetAsync("/api/v1/events", server.WriteOnly);
        await forbidden.JsonAsync(HttpStatusCode.Forbidden);
        var elsewhere = await PageAsync("limit=100", server.OtherWorkspace);
        Assert.All(elsewhere.GetProperty("events").EnumerateArray(), e => Assert.Equal("someone-else", e.GetProperty("workspace").GetString()));
    }

    [Fact]
    public async Task AReaderPollingWhileWritersRaceSeesEveryEventOnceInOrder()
    {
        var (_, start) = await ReadAllAsync(null);
        const int Writers = 4, CallsEach = 40;
        var written = new List<string>();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < CallsEach; i++)
            {
                var id = $"race-{w}-{i}-{Guid.NewGuid():N}";
                Assert.Equal(HttpStatusCode.Created, await SendAsync(HttpMethod.Put, $"/api/v1/calls/{id}", Call("in-progress")));
                lock (written)
                {
                    written.Add(id);
                }
            }
        })).ToList();

        var seen = new List<JsonElement>();
        var after = start;
        var all = Task.WhenAll(writers);
        while (true)
        {
            var done = all.IsCompleted;
            var (events, next) = await ReadAllAsync(after);
            seen.AddRange(events);
            after = next;
            if (done)
            {
                break;
            }
        }
        await all;

        var numbers = seen.Select(e => long.Parse(e.GetProperty("id").GetString()!.Split('_')[2], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(0, numbers.Count).Select(i => numbers[0] + i), numbers);
        Assert.Equal(written.Order(StringComparer.Ordinal),
            seen.Where(e => e.GetProperty("type").GetString() == "call.started")
                .Select(e => e.GetProperty("data").GetProperty("call").GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
    }
}

public sealed class EventsTestsOnSqlite(WritableServer<SqliteStore> server) : EventsTests<SqliteStore>(server), IClassFixture<WritableServer<SqliteStore>>;

public sealed class EventsTestsOnPostgres(WritableServer<PostgresStore> server) : EventsTests<PostgresStore>(server), IClassFixture<WritableServer<PostgresStore>>;
