namespace CallLog.Calls.List;

/// <summary>
/// Klen's list envelope, plus <c>next_cursor</c> (null on the last page). <c>Pages</c> is
/// ceil(count / limit); <c>Page</c> is null when the request paged by cursor. The documented shape:
/// <see cref="CallPageWriter"/> writes it from the store's rows without making this record.
/// </summary>
internal sealed record CallPage(long Count, int? Page, int Limit, long Pages, IReadOnlyList<Call> Calls, string? NextCursor);
