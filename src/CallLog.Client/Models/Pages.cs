namespace CallLog.Client;

/// <summary>One page of calls and the exact count of the whole filtered list.</summary>
/// <param name="Count">Calls matching the filters, in all.</param>
/// <param name="Page">The page number, or null when the page was read by cursor.</param>
/// <param name="Limit">Calls per page.</param>
/// <param name="Pages">ceil(Count / Limit).</param>
/// <param name="Calls">This page's calls, newest first.</param>
/// <param name="NextCursor">Pass as <see cref="CallListOptions.Cursor"/> for the next page; null on the last.</param>
public sealed record CallPage(long Count, int? Page, int Limit, long Pages, IReadOnlyList<Call> Calls, string? NextCursor);

/// <summary>An agent, how many calls it has, and how many of its placed calls may be leased or in progress at once (null: no limit).</summary>
public sealed record Agent(string Id, string? Name, long CallCount, long? MaxConcurrentCalls);

/// <summary>One page of agents.</summary>
public sealed record AgentPage(long Count, int Page, int Limit, long Pages, IReadOnlyList<Agent> Agents);

/// <summary>A contact in full, with its own phone number.</summary>
public sealed record ContactRecord(long Id, string? Name, string? Email, string? Company, string? PhoneNumber);

/// <summary>One page of contacts.</summary>
public sealed record ContactPage(long Count, int Page, int Limit, long Pages, IReadOnlyList<ContactRecord> Contacts);

/// <summary>Filters and paging for listing calls; everything is optional.</summary>
public sealed record CallListOptions
{
    /// <summary>Only this agent's calls (a bare number also finds assistant_&lt;number&gt;).</summary>
    public string? AgentId { get; init; }

    /// <summary>Only calls with this status.</summary>
    public CallStatus? Status { get; init; }

    /// <summary>Only calls in this direction.</summary>
    public CallType? Type { get; init; }

    /// <summary>Page number from 1 (not with <see cref="Cursor"/>).</summary>
    public int? Page { get; init; }

    /// <summary>Calls per page, 1-100 (server default 10).</summary>
    public int? Limit { get; init; }

    /// <summary>A previous page's <see cref="CallPage.NextCursor"/>.</summary>
    public string? Cursor { get; init; }
}
