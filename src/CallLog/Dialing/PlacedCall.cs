namespace CallLog.Dialing;

/// <summary>Klen's answer to POST /api/v1/calls: the queued call, its agent, and when it should start.</summary>
internal sealed record PlacedCall(
    string Id, string CallId, string Status, string Type, PlacedCallAgent Agent, DateTimeOffset CreatedAt, DateTimeOffset EstimatedStart);

internal sealed record PlacedCallAgent(string Id, string? Name);

/// <summary>A call handed to a runtime by a claim: the call in full, the number to call from, and the lease.</summary>
internal sealed record ClaimedCall(Calls.CallDetail Call, string? FromNumber, DateTimeOffset LeaseUntil, long Attempt);

internal sealed record ClaimedCalls(IReadOnlyList<ClaimedCall> Calls);

/// <summary>A number of the workspace's do-not-call list.</summary>
internal sealed record DoNotCallEntry(string PhoneNumber, DateTimeOffset CreatedAt);
