using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

public abstract class CallByIdTests<TStore>(WritableServer<TStore> server) where TStore : TestStore, new()
{
    private const string MetadataArray = "a whole call whose metadata is [1]";

    private static string Body(string id, string status = "completed", string? transcript = "Agent: Hello.\nCustomer: Hi.", string metadata = """{"campaign":"spring","attempt":2}""") =>
        TestCall.WriteBody(id, status, transcript, metadata);

    private static string NewId() => TestCall.NewId();

    private Task<long> CountAsync(string query = "") => server.CountAsync(query);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string id, string? key, string? body = null, string? ifMatch = null, string contentType = "application/json") =>
        server.SendAsync(method, $"/api/v1/calls/{id}", key ?? server.Writer, body, ifMatch, contentType);

    [Fact]
    public async Task PutCreatesACallThatGetShowsInFullAndTheListShowsAtOnce()
    {
        var id = NewId();
        var before = await CountAsync();

        using var put = await SendAsync(HttpMethod.Put, id, null, Body(id));
        var created = await put.JsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/calls/{id}", put.Headers.Location?.OriginalString);
        Assert.NotNull(put.Headers.ETag);

        using var get = await SendAsync(HttpMethod.Get, id, server.Reader);
        var detail = await get.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(put.Headers.ETag, get.Headers.ETag);
        Assert.Equal("Agent: Hello.\nCustomer: Hi.", detail.GetProperty("transcript").GetString());
        Assert.Equal("spring", detail.GetProperty("metadata").GetProperty("campaign").GetString());
        Assert.Equal(2, detail.GetProperty("metadata").GetProperty("attempt").GetInt32());
        Assert.Equal("John Doe", detail.GetProperty("contact").GetProperty("name").GetString());
        Assert.Equal(created.GetRawText(), detail.GetRawText());
        Assert.Equal(before + 1, await CountAsync());

        using var list = await server.Client.GetAsync("/api/v1/calls?limit=100", server.Reader);
        Assert.Contains((await list.JsonAsync(HttpStatusCode.OK)).GetProperty("calls").EnumerateArray(), c => c.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task APageByNumberSeesEveryWriteMadeBeforeIt()
    {
        // Twelve calls of one agent, a minute apart; page 3 of 3 calls per page, asked twice after each
        // write (the second time from the start the first remembered). Any write to the agent's calls
        // must show, never a start remembered from before it.
        var agent = $"agent_{Guid.NewGuid():N}";
        var start = new DateTimeOffset(2025, 6, 1, 9, 0, 0, TimeSpan.Zero);
        var calls = new Dictionary<string, DateTimeOffset>();
        async Task PutAsync(string id, DateTimeOffset startedAt)
        {
            var body = TestCall.Completed(id, agent, KnownCalls.Stamp(startedAt)).ToJson();
            using var put = await SendAsync(HttpMethod.Put, id, null, body);
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            calls[id] = startedAt;
        }
        async Task AssertPageThreeAsync(string after, bool oldestFirst = false)
        {
            var expected = (oldestFirst
                ? calls.OrderBy(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
                : calls.OrderByDescending(c => c.Value).ThenByDescending(c => c.Key, StringComparer.Ordinal)).Skip(6).Take(3).Select(c => c.Key);
            for (var time = 0; time < 2; time++)
            {
                using var response = await server.Client.GetAsync($"/api/v1/calls?agent_id={agent}&limit=3&page=3{(oldestFirst ? "&sort=started_at" : "")}", server.Reader);
                var page = await response.JsonAsync(HttpStatusCode.OK);
                Assert.True(expected.SequenceEqual(page.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("id").GetString())), $"page 3 after {after}");
            }
        }
        for (var i = 0; i < 12; i++)
        {
            await PutAsync($"call_{agent}_{i:D2}", start.AddMinutes(i));
        }
        var hits = await server.CounterAsync("calllog_pages_starts_total", "result=\"hit\"") ?? 0;
        await AssertPageThreeAsync("the calls were written");

        await PutAsync($"call_{agent}_new", start.AddHours(1));
        await AssertPageThreeAsync("a newer call was added");

        // The newest call becomes the oldest: its tally row stays the same, its place in the list does not.
        using (var moved = await server.SendAsync(HttpMethod.Patch, $"/api/v1/calls/call_{agent}_new", server.Writer,
            $$"""{"started_at":"{{KnownCalls.Stamp(start.AddHours(-1))}}","ended_at":"{{KnownCalls.Stamp(start.AddHours(-1).AddMinutes(4))}}"}""",
            contentType: "application/merge-patch+json"))
        {
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }
        calls[$"call_{agent}_new"] = start.AddHours(-1);
        await AssertPageThreeAsync("a call moved to the end");

        using (var deleted = await SendAsync(HttpMethod.Delete, $"call_{agent}_11", null))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }
        calls.Remove($"call_{agent}_11");
        await AssertPageThreeAsync("the newest call was deleted");

        // Enough calls that SQLite's import takes its bulk path (tally triggers dropped, one recount at the
        // end); older than the workspace's other calls, so the other tests' newest calls stay first.
        await AssertPageThreeAsync("the delete, oldest first", oldestFirst: true);
        var imported = Enumerable.Range(0, 10_050).Select(i => TestCall.Completed($"call_{agent}_imp_{i:D5}", agent, KnownCalls.Stamp(start.AddYears(-2).AddSeconds(i)))).ToList();
        await server.Store.ImportAsync(imported, "runtime");
        imported.ForEach(call => calls[call.Id] = start.AddYears(-2).AddSeconds(int.Parse(call.Id[^5..], System.Globalization.CultureInfo.InvariantCulture)));
        await AssertPageThreeAsync("a large import, oldest first", oldestFirst: true);

        // Each second request read on from the start the first remembered.
        Assert.Equal(hits + 6, await server.CounterAsync("calllog_pages_starts_total", "result=\"hit\""));
    }

    [Fact]
    public async Task TheListWritesTextExactlyAsExportDoes()
    {
        // Accents, CJK, a character outside the BMP, control characters, quotes, backslashes and the
        // characters an HTML-safe encoder would escape: the list writes the store's UTF-8 bytes into its
        // JSON itself, and must escape them as the serializer does.
        const string Text = "Café 電話 📞 tab\there\nline\r\nback\\slash \"quoted\" 'single' <b>&amp;</b> +1 \u0001\u001f\u007f\u2028";
        var id = NewId();
        var contactId = Random.Shared.NextInt64(1_000_000, long.MaxValue);
        var call = TestCall.Completed(id, agentId: $"agent_{Guid.NewGuid():N}") with
        {
            Summary = Text,
            AgentName = "Zoë " + Text,
            RecordingUrl = "https://example.com/r?a=1&b=<2>",
            Contact = new TestContact(contactId, Text, "zoë@example.com", null),
        };
        using var put = await SendAsync(HttpMethod.Put, id, null, call.ToJson());
        await put.JsonAsync(HttpStatusCode.Created);

        using var list = await server.Client.GetAsync($"/api/v1/calls?contact_id={contactId}", server.Reader);
        var listed = Assert.Single((await list.JsonAsync(HttpStatusCode.OK)).GetProperty("calls").EnumerateArray());
        var exported = (await server.Store.ExportLinesAsync("--workspace", "runtime")).Single(l => l.Contains(id, StringComparison.Ordinal));

        Assert.Equal(Text, listed.GetProperty("summary").GetString());
        Assert.Equal(Text, listed.GetProperty("contact").GetProperty("name").GetString());
        Assert.Equal(exported, listed.GetRawText());
    }

    [Fact]
    public async Task TheListWritesEmptyTextAsEmptyNotNull()
    {
        // SQLite hands out an empty text column as a null pointer (SqliteColumns.Utf8): it must still be "".
        var id = NewId();
        var contactId = Random.Shared.NextInt64(1_000_000, long.MaxValue);
        var call = TestCall.Completed(id, agentId: $"agent_{Guid.NewGuid():N}") with
        {
            Summary = "",
            AgentName = "",
            Contact = new TestContact(contactId, "", "", ""),
        };
        using var put = await SendAsync(HttpMethod.Put, id, null, call.ToJson());
        await put.JsonAsync(HttpStatusCode.Created);

        using var list = await server.Client.GetAsync($"/api/v1/calls?contact_id={contactId}", server.Reader);
        var listed = Assert.Single((await list.JsonAsync(HttpStatusCode.OK)).GetProperty("calls").EnumerateArray());
        var exported = (await server.Store.ExportLinesAsync("--workspace", "runtime")).Single(l => l.Contains(id, StringComparison.Ordinal));

        Assert.Equal("", listed.GetProperty("summary").GetString());
        Assert.Equal("", listed.GetProperty("agent_name").GetString());
        string[] fields = ["name", "email", "company"];
        Assert.All(fields, field => Assert.Equal("", listed.GetProperty("contact").GetProperty(field).GetString()));
        Assert.Equal(exported, listed.GetRawText());
    }

    [Fact]
    public async Task TheSameBodyTwiceChangesNothing()
    {
        var id = NewId();
        using var first = await SendAsync(HttpMethod.Put, id, null, Body(id));
        await first.JsonAsync(HttpStatusCode.Created);

        using var second = await SendAsync(HttpMethod.Put, id, null, Body(id));

        await second.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
    }

    [Fact]
    public async Task ReplacingACallMovesItsCountAndChangesItsETag()
    {
        var id = NewId();
        using var first = await SendAsync(HttpMethod.Put, id, null, Body(id, "in-progress", transcript: null, metadata: "{}"));
        var inProgress = await first.JsonAsync(HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.Null, inProgress.GetProperty("transcript").ValueKind);
        Assert.Equal("{}", inProgress.GetProperty("metadata").GetRawText());
        var inProgressBefore = await CountAsync("status=in-progress");
        var failedBefore = await CountAsync("status=failed");

        using var replaced = await SendAsync(HttpMethod.Put, id, null, Body(id, "failed"));

        Assert.Equal("failed", (await replaced.JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.NotEqual(first.Headers.ETag, replaced.Headers.ETag);
        Assert.Equal(inProgressBefore - 1, await CountAsync("status=in-progress"));
        Assert.Equal(failedBefore + 1, await CountAsync("status=failed"));
    }

    [Fact]
    public async Task IfMatchRefusesAStaleWriteAndAcceptsACurrentOne()
    {
        var id = NewId();
        using var created = await SendAsync(HttpMethod.Put, id, null, Body(id));
        var etag = created.Headers.ETag!.ToString();
        using var changed = await SendAsync(HttpMethod.Put, id, null, Body(id, "failed"), etag);
        await changed.JsonAsync(HttpStatusCode.OK);

        using var stale = await SendAsync(HttpMethod.Put, id, null, Body(id, "completed"), etag);
        await stale.ErrorAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");
        using var staleDelete = await SendAsync(HttpMethod.Delete, id, null, null, etag);
        await staleDelete.ErrorAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");
        using var nonsense = await SendAsync(HttpMethod.Put, id, null, Body(id), "not-an-etag");
        await nonsense.ErrorAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");

        using var get = await SendAsync(HttpMethod.Get, id, server.Reader);
        Assert.Equal("failed", (await get.JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        using var current = await SendAsync(HttpMethod.Delete, id, null, null, get.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NoContent, current.StatusCode);
    }

    [Fact]
    public async Task DeleteRemovesTheCallAndItsCount()
    {
        var id = NewId();
        (await SendAsync(HttpMethod.Put, id, null, Body(id))).Dispose();
        var before = await CountAsync();

        using var deleted = await SendAsync(HttpMethod.Delete, id, null);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var get = await SendAsync(HttpMethod.Get, id, server.Reader);
        await get.ErrorAsync(HttpStatusCode.NotFound, "not_found");
        using var again = await SendAsync(HttpMethod.Delete, id, null);
        await again.ErrorAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(before - 1, await CountAsync());
    }

    [Fact]
    public async Task AnotherWorkspacesCallIsNotFoundNeverForbidden()
    {
        var id = NewId();
        (await SendAsync(HttpMethod.Put, id, null, Body(id))).Dispose();

        using var get = await SendAsync(HttpMethod.Get, id, server.OtherWorkspace);
        await get.ErrorAsync(HttpStatusCode.NotFound, "not_found");
        using var delete = await SendAsync(HttpMethod.Delete, id, server.OtherWorkspace);
        await delete.ErrorAsync(HttpStatusCode.NotFound, "not_found");
        using var unknown = await SendAsync(HttpMethod.Get, "call_that_never_was", server.Reader);
        await unknown.ErrorAsync(HttpStatusCode.NotFound, "not_found");
        using var stillThere = await SendAsync(HttpMethod.Get, id, server.Reader);
        await stillThere.JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task WritesNeedCanWriteCallsAndReadsNeedCanReadCalls()
    {
        var id = NewId();
        using var readerPut = await SendAsync(HttpMethod.Put, id, server.Reader, Body(id));
        Assert.Contains("can_write_calls", await readerPut.ErrorAsync(HttpStatusCode.Forbidden, "permission_denied"), StringComparison.Ordinal);

        using var writerPut = await SendAsync(HttpMethod.Put, id, server.WriteOnly, Body(id));
        await writerPut.JsonAsync(HttpStatusCode.Created);
        using var writerGet = await SendAsync(HttpMethod.Get, id, server.WriteOnly);
        Assert.Contains("can_read_calls", await writerGet.ErrorAsync(HttpStatusCode.Forbidden, "permission_denied"), StringComparison.Ordinal);
        using var readerDelete = await SendAsync(HttpMethod.Delete, id, server.Reader);
        await readerDelete.ErrorAsync(HttpStatusCode.Forbidden, "permission_denied");
    }

    [Theory]
    [InlineData("{\"status\":", "line 1")]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("{\"id\":\"call_other\"}", "'id' must match")]
    [InlineData("{\"agent_id\":\"a\"}", "'status' is missing")]
    [InlineData(MetadataArray, "'metadata' must be an object")]
    public async Task BadBodiesAreValidationErrorsThatChangeNothing(string body, string expected)
    {
        var id = NewId();
        var raw = body;
        if (body == MetadataArray)
        {
            var json = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Body(id))!;
            json["metadata"] = JsonDocument.Parse("[1]").RootElement;
            raw = JsonSerializer.Serialize(json);
        }
        var before = await CountAsync();

        using var response = await SendAsync(HttpMethod.Put, id, null, raw);

        Assert.Contains(expected, await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
        using var get = await SendAsync(HttpMethod.Get, id, server.Reader);
        await get.ErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task TextThatIsNotUtf8IsAValidationErrorNotAServerError()
    {
        // The JSON parser lets any bytes through inside a string; reading them back would throw.
        var id = NewId();
        var body = Encoding.UTF8.GetBytes(Body(id).Replace("\"summary\":\"", "\"summary\":\"\u0001", StringComparison.Ordinal));
        var at = Array.IndexOf(body, (byte)1);
        byte[] surrogate = [0xED, 0xA0, 0x80]; // U+D800 written as UTF-8, which UTF-8 forbids
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/calls/{id}")
        {
            Content = new ByteArrayContent([.. body[..at], .. surrogate, .. body[(at + 1)..]]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.Writer);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Contains("field 'summary' is not valid UTF-8", await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
        using var get = await SendAsync(HttpMethod.Get, id, server.Reader);
        await get.ErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AWrongContentTypeIs415AndAnOversizedBodyIs413()
    {
        var id = NewId();
        using var text = await SendAsync(HttpMethod.Put, id, null, Body(id), contentType: "text/plain");
        await text.ErrorAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");

        var huge = Body(id, transcript: new string('x', (1 << 20) + 10));
        using var large = await SendAsync(HttpMethod.Put, id, null, huge);
        await large.ErrorAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        using var get = await SendAsync(HttpMethod.Get, id, server.Reader);
        await get.ErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task ConcurrentWritersWithIfMatchLoseNoUpdateAndCountsStayExact()
    {
        var id = NewId();
        using var created = await SendAsync(HttpMethod.Put, id, null, Body(id, transcript: "0"));
        var etag = created.Headers.ETag!.ToString();

        // Twenty writers race from the same version: exactly one may win it.
        var attempts = await Task.WhenAll(Enumerable.Range(1, 20).Select(async i =>
        {
            using var response = await SendAsync(HttpMethod.Put, id, null, Body(id, i % 2 == 0 ? "failed" : "completed", transcript: $"{i}"), etag);
            return response.StatusCode;
        }));
        Assert.Equal(1, attempts.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(19, attempts.Count(s => s == HttpStatusCode.PreconditionFailed));

        // Writers on different calls all land, and the tallies still match a full scan.
        var others = Enumerable.Range(0, 20).Select(_ => NewId()).ToList();
        var puts = await Task.WhenAll(others.Select(async (other, i) =>
        {
            using var response = await SendAsync(HttpMethod.Put, other, null, Body(other, i % 3 == 0 ? "failed" : "completed"));
            return response.StatusCode;
        }));
        Assert.All(puts, s => Assert.Equal(HttpStatusCode.Created, s));
        var scanned = (await server.Store.ExportLinesAsync("--workspace", "runtime")).Length;
        Assert.Equal(scanned, await CountAsync());
        Assert.Equal((await server.Store.ExportLinesAsync("--workspace", "runtime", "--status", "failed")).Length, await CountAsync("status=failed"));
    }
}

public sealed class CallByIdTestsOnSqlite(WritableServer<SqliteStore> server) : CallByIdTests<SqliteStore>(server), IClassFixture<WritableServer<SqliteStore>>;

public sealed class CallByIdTestsOnPostgres(WritableServer<PostgresStore> server) : CallByIdTests<PostgresStore>(server), IClassFixture<WritableServer<PostgresStore>>;
