namespace CallLog.Agents;

/// <summary>
/// An agent of the workspace, how many calls it has (from the tallies, exact), and how many of its calls
/// may be leased from the dial queue or in progress at once (null: no limit of its own).
/// </summary>
internal sealed record Agent(string Id, string? Name, long CallCount, long? MaxConcurrentCalls);

/// <summary>The list envelope, as for calls: count, page, limit, pages, then the items.</summary>
internal sealed record AgentPage(long Count, int Page, int Limit, long Pages, IReadOnlyList<Agent> Agents);

/// <summary>
/// The body of PUT /api/v1/agents/{id}: the name, or null (or left out) for none; the limit of calls at
/// once, or null for none (left out: unchanged).
/// </summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
internal sealed class AgentName
{
    public string? Name { get; init; }

    [System.ComponentModel.DataAnnotations.Range(1, 100000)]
    public long? MaxConcurrentCalls { get; init; }
}
