using System.Net;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>PATCH /api/v1/calls/{id}: JSON Merge Patch under the call lifecycle, as the voice runtime uses it.</summary>
public abstract class CallPatchTests<TStore>(WritableServer<TStore> server) where TStore : TestStore, new()
{
    private const string MergePatch = "application/merge-patch+json";

    private Task<HttpResponseMessage> PatchAsync(string id, string body, string? key = null, string? ifMatch = null, string contentType = MergePatch) =>
        server.SendAsync(HttpMethod.Patch, $"/api/v1/calls/{id}", key ?? server.Writer, body, ifMatch, contentType);

    private async Task<HttpResponseMessage> GetAsync(string id) => await server.SendAsync(HttpMethod.Get, $"/api/v1/calls/{id}", server.Reader);

    /// <summary>Starts a call the way the runtime does: in-progress, no end, no summary, no transcript.</summary>
    private async Task<(string Id, string ETag)> StartCallAsync(string metadata = """{"campaign":"spring","attempt":2}""")
    {
        var id = TestCall.NewId();
        using var put = await server.SendAsync(HttpMethod.Put, $"/api/v1/calls/{id}", server.Writer,
            TestCall.WriteBody(id, "in-progress", transcript: null, metadata: metadata));
        await put.JsonAsync(HttpStatusCode.Created);
        return (id, put.Headers.ETag!.ToString());
    }

    private async Task<(string Id, string ETag)> FinishedCallAsync(string status)
    {
        var (id, _) = await StartCallAsync();
        using var done = await PatchAsync(id, $$"""{"status":"{{status}}","ended_at":"2025-04-23T14:31:00Z"}""");
        await done.JsonAsync(HttpStatusCode.OK);
        return (id, done.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task ACallStartsThenEndsThenGetsItsSummaryTranscriptAndRecordingInLaterPatches()
    {
        var (id, started) = await StartCallAsync();
        var inProgress = await server.CountAsync("status=in-progress");
        var completed = await server.CountAsync("status=completed");

        // The call ends: 14:30:45 to 14:35:12 is 267 seconds, computed because duration_seconds was left out.
        using var ended = await PatchAsync(id, """{"status":"completed","ended_at":"2025-04-23T14:35:12Z"}""");
        var afterEnd = await ended.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("completed", afterEnd.GetProperty("status").GetString());
        Assert.Equal("2025-04-23T14:35:12Z", afterEnd.GetProperty("ended_at").GetString());
        Assert.Equal(267, afterEnd.GetProperty("duration_seconds").GetInt32());
        Assert.Equal(JsonValueKind.Null, afterEnd.GetProperty("summary").ValueKind);
        Assert.NotEqual(started, ended.Headers.ETag!.ToString());
        Assert.Equal(inProgress - 1, await server.CountAsync("status=in-progress"));
        Assert.Equal(completed + 1, await server.CountAsync("status=completed"));

        // Later: the summary, the transcript and the recording; metadata merges key by key (null removes).
        using var later = await PatchAsync(id,
            """{"summary":"Customer agreed to a demo.","transcript":"Agent: Hi.\nCustomer: Yes.","recording_url":"https://storage.example.com/r/1.mp3","metadata":{"attempt":null,"outcome":"demo"}}""");
        var afterLater = await later.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Customer agreed to a demo.", afterLater.GetProperty("summary").GetString());
        Assert.Equal("Agent: Hi.\nCustomer: Yes.", afterLater.GetProperty("transcript").GetString());
        Assert.Equal("https://storage.example.com/r/1.mp3", afterLater.GetProperty("recording_url").GetString());
        Assert.Equal("""{"campaign":"spring","outcome":"demo"}""", afterLater.GetProperty("metadata").GetRawText());
        Assert.Equal(267, afterLater.GetProperty("duration_seconds").GetInt32());

        using var get = await GetAsync(id);
        Assert.Equal(afterLater.GetRawText(), (await get.JsonAsync(HttpStatusCode.OK)).GetRawText());
        Assert.Equal(later.Headers.ETag, get.Headers.ETag);

        // The list shows the finished call at once.
        using var list = await server.Client.GetAsync("/api/v1/calls?status=completed&limit=100", server.Reader);
        var listed = (await list.JsonAsync(HttpStatusCode.OK)).GetProperty("calls").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);
        Assert.Equal("Customer agreed to a demo.", listed.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task AGivenDurationIsKeptAndNestedContactFieldsMerge()
    {
        var (id, _) = await StartCallAsync();

        using var failed = await PatchAsync(id, """{"status":"failed","ended_at":"2025-04-23T14:31:45Z","duration_seconds":5,"contact":{"company":null,"name":"Jane Roe"}}""");

        var call = await failed.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(5, call.GetProperty("duration_seconds").GetInt32());
        var contact = call.GetProperty("contact");
        Assert.Equal(123, contact.GetProperty("id").GetInt64());
        Assert.Equal("Jane Roe", contact.GetProperty("name").GetString());
        Assert.Equal("john@example.com", contact.GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.Null, contact.GetProperty("company").ValueKind);
    }

    [Theory]
    [InlineData("completed", """{"status":"in-progress","ended_at":null,"duration_seconds":null}""")]
    [InlineData("completed", """{"status":"failed"}""")]
    [InlineData("failed", """{"status":"completed"}""")]
    public async Task AFinishedCallsStatusIsFinal(string status, string patch)
    {
        var (id, etag) = await FinishedCallAsync(status);

        using var response = await PatchAsync(id, patch);

        var message = await response.ErrorAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Contains($"is {status}, which is final", message, StringComparison.Ordinal);
        using var get = await GetAsync(id);
        Assert.Equal(status, (await get.JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal(etag, get.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task RestatingAFinalStatusIsAllowedAndAnUnchangedPatchKeepsTheETag()
    {
        var (id, etag) = await FinishedCallAsync("completed");

        using var same = await PatchAsync(id, """{"status":"completed"}""");

        await same.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(etag, same.Headers.ETag!.ToString());
    }

    [Theory]
    [InlineData("""{"status":"completed","ended_at":"2025-04-23T14:00:00Z"}""", "'ended_at' must not be before started_at")]
    [InlineData("""{"ended_at":"2025-04-23T14:40:00Z"}""", "'ended_at' must be null while the call is in-progress")]
    [InlineData("""{"status":"done"}""", "'status' must be one of completed, failed, in-progress")]
    [InlineData("""{"agent_id":null}""", "'agent_id' is missing")]
    [InlineData("""{"phone_number":"555-1234"}""", "'phone_number' must be an E.164 number")]
    [InlineData("""{"sumary":"typo"}""", "field 'sumary' is not part of a call")]
    [InlineData("""{"metadata":"text"}""", "'metadata' must be an object")]
    [InlineData("""{"id":"call_other"}""", "'id' must match")]
    [InlineData("""["status","completed"]""", "a merge patch must be a JSON object")]
    [InlineData("""{"status":""", "line 1")]
    [InlineData("""{"summary":"\ud800"}""", "field 'summary' has an escaped lone surrogate")]
    [InlineData("""{"metadata":{"tags":["ok","a\u0000"]}}""", "field 'metadata.tags[1]' contains a NUL character")]
    [InlineData("""{"metadata":{"k\u0000":1}}""", "a field name in 'metadata' contains a NUL character")]
    public async Task BadPatchesNameTheProblemAndChangeNothing(string patch, string expected)
    {
        var (id, etag) = await StartCallAsync();

        using var response = await PatchAsync(id, patch);

        Assert.Contains(expected, await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
        using var get = await GetAsync(id);
        Assert.Equal("in-progress", (await get.JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal(etag, get.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task PlainJsonIsAcceptedAndOtherContentTypesAre415()
    {
        var (id, _) = await StartCallAsync();

        using var text = await PatchAsync(id, """{"summary":"x"}""", contentType: "text/plain");
        await text.ErrorAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        using var json = await PatchAsync(id, """{"summary":"x"}""", contentType: "application/json");
        Assert.Equal("x", (await json.JsonAsync(HttpStatusCode.OK)).GetProperty("summary").GetString());
    }

    [Fact]
    public async Task UnknownCallsAndOtherWorkspacesCallsAreNotFoundAndReadersMayNotPatch()
    {
        var (id, _) = await StartCallAsync();

        using var unknown = await PatchAsync("call_that_never_was", """{"summary":"x"}""");
        await unknown.ErrorAsync(HttpStatusCode.NotFound, "not_found");
        using var other = await PatchAsync(id, """{"summary":"x"}""", server.OtherWorkspace);
        await other.ErrorAsync(HttpStatusCode.NotFound, "not_found");
        using var reader = await PatchAsync(id, """{"summary":"x"}""", server.Reader);
        Assert.Contains("can_write_calls", await reader.ErrorAsync(HttpStatusCode.Forbidden, "permission_denied"), StringComparison.Ordinal);

        using var get = await GetAsync(id);
        Assert.Equal(JsonValueKind.Null, (await get.JsonAsync(HttpStatusCode.OK)).GetProperty("summary").ValueKind);
    }

    [Fact]
    public async Task IfMatchRefusesAPatchAgainstAStaleVersion()
    {
        var (id, started) = await StartCallAsync();
        using var first = await PatchAsync(id, """{"summary":"first"}""", ifMatch: started);
        await first.JsonAsync(HttpStatusCode.OK);

        using var stale = await PatchAsync(id, """{"summary":"second"}""", ifMatch: started);
        await stale.ErrorAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");

        using var current = await PatchAsync(id, """{"summary":"second"}""", ifMatch: first.Headers.ETag!.ToString());
        Assert.Equal("second", (await current.JsonAsync(HttpStatusCode.OK)).GetProperty("summary").GetString());
    }

    [Fact]
    public async Task ConcurrentPatchesOfOneCallLoseNoUpdate()
    {
        var (id, _) = await StartCallAsync(metadata: "{}");

        // Twenty writers each add their own metadata key at once, without If-Match: every key must land.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await PatchAsync(id, $$$"""{"metadata":{"writer_{{{i}}}":"{{{i}}}"}}""");
            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        using var get = await GetAsync(id);
        var metadata = (await get.JsonAsync(HttpStatusCode.OK)).GetProperty("metadata");
        Assert.Equal(20, metadata.EnumerateObject().Count());
        Assert.Equal("\"21\"", get.Headers.ETag!.ToString());
    }
}

public sealed class CallPatchTestsOnSqlite(WritableServer<SqliteStore> server) : CallPatchTests<SqliteStore>(server), IClassFixture<WritableServer<SqliteStore>>;

public sealed class CallPatchTestsOnPostgres(WritableServer<PostgresStore> server) : CallPatchTests<PostgresStore>(server), IClassFixture<WritableServer<PostgresStore>>;
