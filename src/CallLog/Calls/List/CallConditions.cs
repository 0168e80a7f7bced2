namespace CallLog.Calls.List;

/// <summary>
/// What a list, count or export asks for, before agent ids are resolved. Every condition is optional;
/// Klen's three are <c>AgentId</c>, one status and one type. Times are Unix seconds: after is
/// inclusive, before exclusive. <c>PhonePattern</c> is an exact E.164 number or a prefix ending in <c>%</c>.
/// </summary>
internal sealed record CallConditions(
    string? AgentId = null,
    IReadOnlyList<CallStatus>? Statuses = null,
    IReadOnlyList<CallType>? Types = null,
    long? StartedAfter = null,
    long? StartedBefore = null,
    string? PhonePattern = null,
    long? ContactId = null,
    string? Search = null,
    string? CampaignId = null)
{
    /// <summary>True when only Klen's filters are used: counts then come from the tallies.</summary>
    public bool TalliesSuffice => StartedAfter is null && StartedBefore is null && PhonePattern is null && ContactId is null && Search is null && CampaignId is null;

    /// <summary>A stable text of every condition, so a cursor can be bound to the filters it was made for.</summary>
    public string Signature() => string.Join('\n',
        AgentId, Join(Statuses), Join(Types), StartedAfter, StartedBefore, PhonePattern, ContactId, Search, CampaignId);

    private static string Join<T>(IReadOnlyList<T>? values) where T : struct, Enum =>
        values is null ? "" : string.Join(',', values.Select(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)).Order());
}
