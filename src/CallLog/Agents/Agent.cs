namespace CallLog.Agents;

/// <summary>An agent of the workspace and how many calls it has (from the tallies, exact).</summary>
internal sealed record Agent(string Id, string? Name, long CallCount);

/// <summary>The list envelope, as for calls: count, page, limit, pages, then the items.</summary>
internal sealed record AgentPage(long Count, int Page, int Limit, long Pages, IReadOnlyList<Agent> Agents);

/// <summary>The body of PUT /api/v1/agents/{id}: the name, or null (or left out) for none.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
internal sealed class AgentName
{
    public string? Name { get; init; }
}
