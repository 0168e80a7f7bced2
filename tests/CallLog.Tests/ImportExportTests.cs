using System.Diagnostics;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

public abstract class ImportExportTests<TStore> : StoreTests<TStore> where TStore : TestStore, new()
{
    private const string Tallies = "SELECT agent_id, status, type, calls FROM call_tallies WHERE calls > 0 ORDER BY 1, 2, 3";
    private const string Counted = "SELECT agent_id, status, type, COUNT(*) FROM calls GROUP BY agent_id, status, type ORDER BY 1, 2, 3";

    private async Task<string> ExportAsync(params string[] args) => (await Store.SucceedAsync(["export", .. args])).Stdout;

    private async Task<string> WriteFileAsync(IEnumerable<string> lines)
    {
        var path = Store.PathFor($"{Guid.NewGuid():N}.ndjson");
        await File.WriteAllLinesAsync(path, lines, TestContext.Current.CancellationToken);
        return path;
    }

    [Fact]
    public async Task ExportThenImportReproducesTheDataByteForByte()
    {
        await Store.SucceedAsync("demo", "--calls", "700", "--seed", "5");
        var exported = await ExportAsync();
        Assert.Equal(700, exported.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        await using var other = await NewStoreAsync();
        var file = other.PathFor("export.ndjson");
        await File.WriteAllTextAsync(file, exported, TestContext.Current.CancellationToken);
        Assert.Equal(0, (await other.RunAsync("import", file)).ExitCode);
        var reexported = (await other.RunAsync("export")).Stdout;

        Assert.Equal(exported, reexported);
    }

    [Fact]
    public async Task ExportWritesTheApiShapeNewestFirst()
    {
        await Store.ImportAsync(KnownCalls.All);

        var lines = (await ExportAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(KnownCalls.Ordered().Select(c => c.Id), lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()));
        Assert.Equal(KnownCalls.Ordered()[0].ToJson(), lines[0]);
    }

    [Fact]
    public async Task ExportFiltersLikeTheApi()
    {
        await Store.ImportAsync(KnownCalls.All);

        var lines = (await ExportAsync("--status", "completed", "--type", "outbound", "--agent-id", "12345")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var expected = KnownCalls.Ordered(c => c.Status == "completed" && c.Type == "outbound" && c.AgentId == "assistant_12345");
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(c => c.ToJson()), lines);
        Assert.NotEqual(0, (await Store.RunAsync("export", "--status", "done")).ExitCode);
    }

    /// <summary>
    /// Past 10k calls into an empty table, an import drops the list indexes (and, on SQLite, the tally
    /// triggers) and builds them at the end. Whether it fails or lands, the schema after it is the one
    /// before it, and the tallies equal a count of the rows; the one that lands has built new indexes.
    /// On PostgreSQL an input that names each call once goes in as staged and one that repeats calls goes
    /// in again from a savepoint, last line per call: both are checked.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ALargeImportLeavesIndexesTriggersAndTalliesAsTheyShouldBe(bool repeats)
    {
        string[] agents = ["assistant_1", "assistant_2", "assistant_3"];
        string[] statuses = ["completed", "failed"];
        // 12k calls across agents, statuses and types, then 1k of them again with another status and agent:
        // re-imports after the switch must move their counts, as the triggers would have.
        var calls = Enumerable.Range(0, 12_000).Select(i =>
            TestCall.Completed($"call_{i:D6}", agents[i % 3]) with { Status = statuses[i % 2], Type = i % 5 == 0 ? "inbound" : "outbound" });
        var again = Enumerable.Range(0, repeats ? 1_000 : 0).Select(i =>
            TestCall.Completed($"call_{i * 7:D6}", agents[(i + 1) % 3]) with { Status = "failed" });
        var lines = calls.Concat(again).Select(c => c.ToJson()).ToList();
        await Store.SucceedAsync("migrate");
        var schema = await Store.QueryAsync(Store.CallsSchemaSql);
        Assert.NotEmpty(schema);
        var indexes = await Store.QueryAsync(Store.CallsIndexIdentitySql);
        Assert.Equal(9, indexes.Count);

        var failing = await Store.RunAsync("import", await WriteFileAsync([.. lines, """{"id": "call_bad"}"""]));
        Assert.NotEqual(0, failing.ExitCode);
        Assert.Contains($"line {lines.Count + 1}", failing.Stderr, StringComparison.Ordinal);
        Assert.Equal(schema, await Store.QueryAsync(Store.CallsSchemaSql));
        Assert.Equal(indexes, await Store.QueryAsync(Store.CallsIndexIdentitySql));
        Assert.Equal(["0"], await Store.QueryAsync("SELECT COUNT(*) FROM calls"));

        await Store.SucceedAsync("import", await WriteFileAsync(lines));
        Assert.Equal(schema, await Store.QueryAsync(Store.CallsSchemaSql));
        // The same definitions, but new index objects: this import dropped and built them (the bulk path).
        var rebuilt = await Store.QueryAsync(Store.CallsIndexIdentitySql);
        Assert.Empty(rebuilt.Intersect(indexes));
        Assert.Equal(["12000"], await Store.QueryAsync("SELECT COUNT(*) FROM calls"));
        // A repeated call keeps its last line (call_000007 came first as assistant_2, last as assistant_3).
        Assert.Equal([repeats ? "assistant_3" : "assistant_2"], await Store.QueryAsync("SELECT agent_id FROM calls WHERE id = 'call_000007'"));
        var tallies = await Store.QueryAsync(Tallies);
        Assert.Equal(await Store.QueryAsync(Counted), tallies);
        Assert.Equal(12, tallies.Count);

        // After it, the triggers keep the tallies again, row by row.
        await Store.ImportAsync([TestCall.Completed("call_000000", "assistant_9") with { Status = "failed" }, TestCall.Completed("call_new", "assistant_9")]);
        Assert.Equal(await Store.QueryAsync(Counted), await Store.QueryAsync(Tallies));
        Assert.Equal(rebuilt, await Store.QueryAsync(Store.CallsIndexIdentitySql));
    }

    /// <summary>
    /// A small import into an empty store (on SQLite the bulk path from its first call) leaves the schema as
    /// it was and tallies equal to a count of the rows; the next, into a store that holds calls, goes
    /// through the triggers and keeps them so.
    /// </summary>
    [Fact]
    public async Task ASmallImportIntoAnEmptyStoreLeavesIndexesTriggersAndTalliesAsTheyShouldBe()
    {
        await Store.SucceedAsync("migrate");
        var schema = await Store.QueryAsync(Store.CallsSchemaSql);
        var before = await Store.QueryAsync(Store.CallsIndexIdentitySql);

        await Store.ImportAsync([TestCall.Completed("call_1", "assistant_1"), TestCall.Completed("call_2", "assistant_2") with { Status = "failed" }, TestCall.Completed("call_3", "assistant_1")]);

        Assert.Equal(schema, await Store.QueryAsync(Store.CallsSchemaSql));
        var indexes = await Store.QueryAsync(Store.CallsIndexIdentitySql);
        // SQLite rebuilt them (the bulk path); PostgreSQL's bulk path starts at BulkMinimumRows.
        Assert.Equal(Store is SqliteStore, !indexes.Intersect(before).Any());
        Assert.Equal(["assistant_1|1|2|2", "assistant_2|2|2|1"], await Store.QueryAsync(Tallies));
        Assert.Equal(await Store.QueryAsync(Counted), await Store.QueryAsync(Tallies));

        await Store.ImportAsync([TestCall.Completed("call_1", "assistant_2"), TestCall.Completed("call_4", "assistant_2")]);
        Assert.Equal(["assistant_1|1|2|1", "assistant_2|1|2|2", "assistant_2|2|2|1"], await Store.QueryAsync(Tallies));
        Assert.Equal(await Store.QueryAsync(Counted), await Store.QueryAsync(Tallies));
        Assert.Equal(indexes, await Store.QueryAsync(Store.CallsIndexIdentitySql));
    }

    [Fact]
    public async Task TextComesBackExactlyAsImported()
    {
        // Accents, CJK, a character outside the BMP (a surrogate pair in .NET), and the characters
        // PostgreSQL's COPY and JSON escape: tab, newline, carriage return, backslash, quotes.
        const string Text = "Café résumé 電話 📞 tab\there\nnext line\r\nback\\slash \"quoted\" 'single'";
        var call = TestCall.Completed("call_text") with
        {
            Summary = Text,
            AgentName = "Agent Zoë 📞",
            Contact = new TestContact(77, "José Müller", "jose@example.com", "Ünïcode GmbH\t&\\Co"),
        };
        await Store.ImportAsync([call]);

        var exported = JsonDocument.Parse((await ExportAsync()).Trim()).RootElement;

        Assert.Equal(Text, exported.GetProperty("summary").GetString());
        Assert.Equal("Agent Zoë 📞", exported.GetProperty("agent_name").GetString());
        Assert.Equal("José Müller", exported.GetProperty("contact").GetProperty("name").GetString());
        Assert.Equal("Ünïcode GmbH\t&\\Co", exported.GetProperty("contact").GetProperty("company").GetString());
    }

    [Fact]
    public async Task ImportUpsertsByIdWithinTheWorkspace()
    {
        await Store.ImportAsync([TestCall.Completed("call_1"), TestCall.Completed("call_2")]);
        var renamed = TestCall.Completed("call_1") with { Summary = "Updated.", AgentName = "Renamed Agent", Contact = new TestContact(123, "Jane Doe", null, null) };
        await Store.ImportAsync([renamed]);
        await Store.ImportAsync([TestCall.Completed("call_1")], "other");

        var lines = (await ExportAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, lines.Length);
        var call1 = lines.Select(l => JsonDocument.Parse(l).RootElement).Single(c => c.GetProperty("id").GetString() == "call_1");
        Assert.Equal("Updated.", call1.GetProperty("summary").GetString());
        Assert.Equal("Renamed Agent", call1.GetProperty("agent_name").GetString());
        Assert.Equal("Jane Doe", call1.GetProperty("contact").GetProperty("name").GetString());
        // The agent and contact are shared: call_2 shows the new names too.
        var call2 = lines.Select(l => JsonDocument.Parse(l).RootElement).Single(c => c.GetProperty("id").GetString() == "call_2");
        Assert.Equal("Renamed Agent", call2.GetProperty("agent_name").GetString());
        Assert.Equal("Jane Doe", call2.GetProperty("contact").GetProperty("name").GetString());
        Assert.Single((await ExportAsync("--workspace", "other")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task ImportReadsStandardInputAndSkipsBlankLines()
    {
        var input = $"{TestCall.Completed("call_a").ToJson()}\n\n{TestCall.Completed("call_b").ToJson()}\n";

        var result = await Store.RunWithInputAsync(input, "import", "-");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Imported 2 calls", result.Stdout, StringComparison.Ordinal);
        var one = await Store.RunWithInputAsync(TestCall.Completed("call_c").ToJson(), "import", "-");
        Assert.Contains("Imported 1 call into", one.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadImportLines.All), MemberType = typeof(BadImportLines))]
    public async Task ABadLineAbortsTheWholeImportAndNamesTheLineAndField(string badLine, string expected)
    {
        await Store.ImportAsync([TestCall.Completed("call_existing") with { Summary = "Before." }]);
        var before = await ExportAsync();
        var lines = new List<string>
        {
            (TestCall.Completed("call_existing") with { Summary = "Changed by the failed import." }).ToJson(),
            TestCall.Completed("call_new_1").ToJson(),
            TestCall.Completed("call_new_2").ToJson(),
            badLine,
            TestCall.Completed("call_new_3").ToJson(),
        };

        var result = await Store.RunAsync("import", await WriteFileAsync(lines));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("line 4", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await ExportAsync());
    }

    [Fact]
    public async Task NullableFieldsMayBeNullOrLeftOut()
    {
        var minimal = """{"id":"call_min","agent_id":"a1","status":"in-progress","type":"inbound","phone_number":"+442071234567","started_at":"2025-04-23T14:30:45+02:00"}""";
        var nulls = """{"id":"call_nulls","agent_id":"a1","agent_name":null,"status":"failed","type":"outbound","phone_number":"+15550000000","started_at":"2025-04-23T14:30:45Z","ended_at":null,"duration_seconds":null,"summary":null,"recording_url":null,"contact":{"id":9,"name":null,"email":null,"company":null}}""";

        var result = await Store.RunAsync("import", await WriteFileAsync([minimal, nulls]));
        Assert.True(result.ExitCode == 0, result.ToString());

        var exported = (await ExportAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // The offset is converted to UTC, and every field is written, nulls included.
        Assert.Equal("""{"id":"call_min","agent_id":"a1","agent_name":null,"status":"in-progress","type":"inbound","phone_number":"+442071234567","started_at":"2025-04-23T12:30:45Z","ended_at":null,"duration_seconds":null,"summary":null,"recording_url":null,"contact":null}""", exported[1]);
        Assert.Equal(nulls, exported[0]);
    }

    [Fact]
    public async Task AnExportToAFullDiskSaysSoInOneLine()
    {
        await Store.ImportAsync([TestCall.Completed("call_full")]);
        // Standard output on /dev/full, as a shell redirect to a full disk does; the test's own pipes cannot do that.
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", "exec dotnet \"$0\" export --db \"$1\" > /dev/full", CallLogProcess.DllPath, Store.Db })
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("error: writing the export failed: No space left on device", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingFileIsAnError()
    {
        var result = await Store.RunAsync("import", Store.PathFor("nope.ndjson"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("nope.ndjson", result.Stderr, StringComparison.Ordinal);
    }
}

public sealed class ImportExportTestsOnSqlite : ImportExportTests<SqliteStore>;

public sealed class ImportExportTestsOnPostgres : ImportExportTests<PostgresStore>;

/// <summary>One bad line per way a line can be wrong, each with the words its error must contain.</summary>
public static class BadImportLines
{
    public static TheoryData<string, string> All() => new()
    {
        { "{\"id\": \"call_x\", ", "not valid JSON" },
        { "[1, 2]", "expected a JSON object" },
        { Without("status"), "'status' is missing" },
        { Without("id"), "'id' is missing" },
        { Without("started_at"), "'started_at' is missing" },
        { Replace("\"status\":\"completed\"", "\"status\":\"done\""), "'status'" },
        { Replace("\"status\":\"completed\"", "\"status\":null"), "'status' must not be null" },
        { Replace("\"type\":\"outbound\"", "\"type\":\"sideways\""), "'type'" },
        { Replace("\"type\":\"outbound\"", "\"type\":1"), "'type' must be a string" },
        { Replace("\"started_at\":\"2025-04-23T14:30:45Z\"", "\"started_at\":\"yesterday\""), "'started_at'" },
        { Replace("\"started_at\":\"2025-04-23T14:30:45Z\"", "\"started_at\":\"2025-04-23T14:30:45\""), "'started_at'" },
        { Replace("\"started_at\":\"2025-04-23T14:30:45Z\"", "\"started_at\":\"2025-04-23T14:30:45.5Z\""), "'started_at'" },
        { Replace("\"started_at\":\"2025-04-23T14:30:45Z\"", "\"started_at\":\"2025-02-30T14:30:45Z\""), "'started_at'" },
        { Replace("\"ended_at\":\"2025-04-23T14:35:12Z\"", "\"ended_at\":\"2025-04-23T14:00:00Z\""), "'ended_at' must not be before" },
        { Replace("\"duration_seconds\":267", "\"duration_seconds\":\"267\""), "'duration_seconds'" },
        { Replace("\"duration_seconds\":267", "\"duration_seconds\":-1"), "'duration_seconds'" },
        { Replace("\"duration_seconds\":267", "\"duration_seconds\":2.5"), "'duration_seconds'" },
        { Replace("\"phone_number\":\"+15551234567\"", "\"phone_number\":\"555-1234\""), "'phone_number'" },
        { Replace("\"recording_url\":\"https://storage.example.com/recordings/call_bad.mp3\"", "\"recording_url\":\"not a url\""), "'recording_url'" },
        { Replace("\"contact\":{\"id\":123", "\"contact\":{\"id\":\"123\""), "'contact.id'" },
        { Replace("\"name\":\"John Doe\"", "\"name\":42"), "'contact.name'" },
        { Replace("\"contact\":{\"id\":123,", "\"contact\":{\"id\":123,\"phone\":\"+1\","), "'contact.phone'" },
        { Replace("\"summary\"", "\"sumary\""), "'sumary'" },
        { Replace("\"id\":\"call_bad\"", "\"id\":\"call_bad\",\"id\":\"call_other\""), "'id' appears more than once" },
        { Replace("\"status\":\"completed\"", "\"status\":\"in-progress\""), "'ended_at' must be null" },
        { Replace("\"agent_id\":\"assistant_12345\"", "\"agent_id\":\"\""), "'agent_id'" },
        // Valid JSON, but not text: PostgreSQL refuses NUL, and a lone surrogate has no UTF-8 form.
        { Replace("\"name\":\"John Doe\"", "\"name\":\"John\\u0000Doe\""), "field 'contact.name' contains a NUL character" },
        { Replace("\"summary\":\"", "\"summary\":\"\\ud800"), "field 'summary' has an escaped lone surrogate" },
    };

    private static readonly string Good = TestCall.Completed("call_bad").ToJson();

    private static string Without(string field)
    {
        var json = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Good)!;
        json.Remove(field);
        return JsonSerializer.Serialize(json);
    }

    private static string Replace(string from, string to)
    {
        Assert.Contains(from, Good, StringComparison.Ordinal);
        return Good.Replace(from, to, StringComparison.Ordinal);
    }
}
