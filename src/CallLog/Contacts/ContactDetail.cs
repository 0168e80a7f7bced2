namespace CallLog.Contacts;

/// <summary>A contact as the contacts endpoints show it: what a call shows, plus the contact's own phone number.</summary>
internal sealed record ContactDetail(long Id, string? Name, string? Email, string? Company, string? PhoneNumber);

/// <summary>The list envelope, as for calls: count, page, limit, pages, then the items.</summary>
internal sealed record ContactPage(long Count, int Page, int Limit, long Pages, IReadOnlyList<ContactDetail> Contacts);
