using System.Text.Json.Serialization;

namespace CallLog.Contacts;

/// <summary>
/// The body of <c>PUT /api/v1/contacts/{id}</c> as the OpenAPI document describes it: the whole contact,
/// each field a string or null (left out is null); the <c>id</c> may be left out, or must be the URL's.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class ContactInput
{
    public long? Id { get; init; }

    public string? Name { get; init; }

    public string? Email { get; init; }

    public string? Company { get; init; }

    /// <summary>E.164, like +15551234567.</summary>
    public string? PhoneNumber { get; init; }
}
