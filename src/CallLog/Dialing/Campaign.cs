namespace CallLog.Dialing;

/// <summary>A campaign as the API shows it: its settings, its state, and its calls counted by status.</summary>
internal sealed record Campaign(
    string Id, string Name, string AgentId, string? FromNumber, DateTimeOffset? ScheduledAt, CallingWindowView? CallingWindow,
    long? MaxConcurrentCalls, string State, long Recipients, long Skipped, CampaignCounts Counts, DateTimeOffset CreatedAt);

/// <summary>A campaign's calls by status; <c>Skipped</c> are recipients on the do-not-call list, never queued.</summary>
internal sealed record CampaignCounts(long Queued, long InProgress, long Completed, long Failed, long Canceled, long Skipped);

internal sealed record CampaignList(IReadOnlyList<Campaign> Campaigns);

/// <summary>One recipient of a campaign, checked: the number, and the contact, variables and metadata (JSON object text).</summary>
internal sealed record Recipient(string PhoneNumber, long? ContactId, string? Variables, string? Metadata);

/// <summary>A campaign to create, checked, before its recipients.</summary>
internal sealed record NewCampaign(
    string Name, string AgentId, string? FromNumber, long? ScheduledAt, CallingWindow? Window, long? MaxConcurrentCalls);

/// <summary>A campaign as a claim sees it: open (active, scheduled time reached, inside its window), canceled, and its limit.</summary>
internal sealed record CampaignGate(string Id, bool Open, bool Canceled, long? MaxConcurrentCalls);
