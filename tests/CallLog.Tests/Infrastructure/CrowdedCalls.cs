using System.Net;
using System.Text.Json;

namespace CallLog.Tests.Infrastructure;

/// <summary>Calls where many share one start time, so paging must rely on the id tie-break.</summary>
public static class CrowdedCalls
{
    public static IReadOnlyList<TestCall> All { get; } = [.. Enumerable.Range(0, 150).Select(i =>
    {
        var started = i < 70 ? "2025-05-01T12:00:00Z" : KnownCalls.Stamp(new DateTimeOffset(2025, 5, 1, 12, 0, 0, TimeSpan.Zero).AddSeconds(i % 40 - 20));
        var call = TestCall.Completed($"c{(i * 53) % 151:D3}", i % 2 == 0 ? "assistant_12345" : "agent_b", started);
        return i % 3 == 0 ? call with { Status = "failed", Type = "inbound" } : call;
    })];
}
