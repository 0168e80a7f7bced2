namespace CallLog.Calls;

/// <summary>The seed's list envelope. <c>Pages</c> is ceil(count / limit).</summary>
internal sealed record CallPage(long Count, int Page, int Limit, long Pages, IReadOnlyList<Call> Calls);
