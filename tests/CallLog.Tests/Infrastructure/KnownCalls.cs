namespace CallLog.Tests.Infrastructure;

/// <summary>
/// A small data set whose every answer the tests can compute independently: three agents, all statuses,
/// both directions, pairs of calls sharing a start time (to test the tie-break), and contacts that are
/// missing or partly null.
/// </summary>
public static class KnownCalls
{
    public const int Count = 61;
    private static readonly DateTimeOffset Start = new(2025, 4, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly string[] Agents = ["assistant_12345", "assistant_777", "sales_bot"];
    private static readonly string[] Statuses = ["completed", "failed", "in-progress"];

    public static IReadOnlyList<TestCall> All { get; } = [.. Enumerable.Range(0, Count).Select(Make)];

    private static TestCall Make(int i)
    {
        // Agent, status and direction vary independently, so every filter combination has calls.
        var status = Statuses[i % 4 == 0 ? 2 : i % 5 == 0 ? 1 : 0];
        // Two calls start in each minute: the order must fall back to the id.
        var started = Start.AddMinutes(i / 2);
        var ended = status == "in-progress" ? (DateTimeOffset?)null : started.AddSeconds(30 + i);
        var contact = i % 5 == 0 ? null : i % 7 == 0 ? new TestContact(1000 + i, null, null, null) : new TestContact(1000 + i, $"Person {i}", $"p{i}@example.com", "Acme Corp");
        return new TestCall(
            Id: $"call_{(i * 37) % 101:D3}",
            AgentId: Agents[i % 3],
            AgentName: (i % 3) switch { 0 => "Sales Representative", 1 => "Support", _ => null },
            Status: status,
            Type: i % 2 == 0 ? "outbound" : "inbound",
            PhoneNumber: $"+1555{i:D7}",
            StartedAt: Stamp(started),
            EndedAt: ended is { } e ? Stamp(e) : null,
            DurationSeconds: ended is null ? null : 30 + i,
            Summary: status == "in-progress" ? null : $"Summary of call {i}.",
            RecordingUrl: status == "completed" ? $"https://storage.example.com/recordings/{i}.mp3" : null,
            Contact: contact);
    }

    /// <summary>The API's order: newest first, ties broken by id descending (ordinal).</summary>
    public static IReadOnlyList<TestCall> Ordered(Func<TestCall, bool>? filter = null) =>
        [.. All.Where(filter ?? (_ => true)).OrderByDescending(c => c.StartedAt, StringComparer.Ordinal).ThenByDescending(c => c.Id, StringComparer.Ordinal)];

    public static string Stamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A server holding the known calls in workspace "acme", other calls in "globex", and keys of each kind.</summary>
public sealed class KnownCallsServer<TStore> : CallLogServer<TStore> where TStore : TestStore, new()
{
    public string AcmeReader { get; private set; } = "";
    public string GlobexReader { get; private set; } = "";
    public string AcmeWriterOnly { get; private set; } = "";

    protected override async Task SeedAsync()
    {
        await Store.ImportAsync(KnownCalls.All, "acme");
        await Store.ImportAsync([TestCall.Completed("globex_call_1"), TestCall.Completed("call_000")], "globex");
        AcmeReader = (await Store.CreateKeyAsync("can_read_calls", "acme")).Secret;
        GlobexReader = (await Store.CreateKeyAsync("can_read_calls", "globex")).Secret;
        AcmeWriterOnly = (await Store.CreateKeyAsync("can_write_calls,can_read_agents", "acme")).Secret;
    }
}
