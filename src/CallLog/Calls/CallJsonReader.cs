using System.Text.Json;
using CallLog.Json;

namespace CallLog.Calls;

/// <summary>
/// Reads one call in the API's shape from JSON, refusing anything that would not round-trip: unknown or
/// repeated fields, wrong types, unknown status or type, bad timestamps, in-progress calls with an end.
/// Fields that may be null may also be left out; for the agent's and contact's own fields, left out means
/// "unchanged" (<see cref="Call.Stated"/>). Errors name the field and what was expected.
/// </summary>
internal static class CallJsonReader
{
    private const string ACall = "a call";

    private static readonly string[] Fields =
        ["id", "agent_id", "agent_name", "status", "type", "phone_number", "started_at", "ended_at",
         "duration_seconds", "summary", "recording_url", "contact"];

    private static readonly string[] WriteFields = [.. Fields, "transcript", "metadata"];

    private static readonly string[] ContactFields = ["id", "name", "email", "company"];

    public static Call? Read(string json, out string? error)
    {
        try
        {
            using var document = StrictJson.Parse(json);
            // A line read as text is valid Unicode already: only an escape can hide a NUL or a lone surrogate.
            if (json.Contains('\\', StringComparison.Ordinal) && JsonText.FirstProblem(document.RootElement) is { } problem)
            {
                error = $"text that cannot be stored: {problem}";
                return null;
            }
            return Read(document.RootElement, out error);
        }
        catch (JsonException ex)
        {
            error = StrictJson.RepeatedField(json) ?? $"not valid JSON ({ex.Message.Split(". ")[0].TrimEnd('.')})";
            return null;
        }
    }

    public static Call? Read(JsonElement root, out string? error)
    {
        var e = new JsonFields();
        var call = Read(root, Fields, null, e);
        error = e.First;
        return call;
    }

    /// <summary>
    /// A write of one call (PUT): the call shape plus <c>transcript</c> (string or null) and <c>metadata</c>
    /// (an object, or null for {}). <c>id</c> may be left out; if present it must be the URL's. A patch
    /// keeps the stored call's status when it names none: <paramref name="kept"/> is then allowed too.
    /// </summary>
    public static CallWrite? ReadWrite(JsonElement root, string id, out string? error, CallStatus? kept = null)
    {
        var e = new JsonFields();
        if (Read(root, WriteFields, id, e, kept) is not { } call)
        {
            error = e.First;
            return null;
        }
        var transcript = e.OptionalString(root, "transcript");
        string? metadata = null;
        if (e.TryGet(root, "metadata", required: false, out var value))
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                e.Fail("metadata", $"must be an object or null, got {JsonFields.Describe(value)}");
            }
            else if (value.EnumerateObject().Any())
            {
                metadata = value.GetRawText();
            }
        }
        error = e.First;
        return error is null ? new CallWrite(call, transcript, metadata) : null;
    }

    private static Call? Read(JsonElement root, string[] allowed, string? urlId, JsonFields e, CallStatus? kept = null)
    {
        if (!e.IsObjectOf(root, allowed, ACall))
        {
            return null;
        }
        var id = urlId is not null && !root.TryGetProperty("id", out _) ? urlId : e.Id(root, "id");
        if (urlId is not null && id is not null && id != urlId)
        {
            e.Fail("id", "must match the id in the URL (or be left out)");
        }
        var agentId = e.Id(root, "agent_id");
        var agentName = e.OptionalString(root, "agent_name");
        var status = Enum<CallStatus>(e, root, "status",
            (string value, out CallStatus parsed) => CallEnums.TryParseWrittenStatus(value, out parsed) || (CallEnums.TryParseStatus(value, out parsed) && parsed == kept),
            CallEnums.WrittenStatusNames);
        var type = Enum<CallType>(e, root, "type", CallEnums.TryParseType, CallEnums.TypeNames);
        var phone = e.Phone(root, "phone_number", required: true);
        var startedAt = Timestamp(e, root, "started_at", required: true);
        var endedAt = Timestamp(e, root, "ended_at", required: false);
        var duration = Duration(e, root, "duration_seconds");
        var summary = e.OptionalString(root, "summary");
        var recordingUrl = Url(e, root, "recording_url");
        var contact = ReadContact(e, root, "contact");
        if (e.First is null)
        {
            if (status == CallStatus.InProgress && endedAt is not null)
            {
                e.Fail("ended_at", "must be null while the call is in-progress");
            }
            else if (status == CallStatus.InProgress && duration is not null)
            {
                e.Fail("duration_seconds", "must be null while the call is in-progress");
            }
            else if (endedAt < startedAt)
            {
                e.Fail("ended_at", "must not be before started_at");
            }
        }
        return e.First is null
            ? new Call(id!, agentId!, agentName, status, type, phone!, startedAt!.Value, endedAt, duration, summary, recordingUrl, contact) { Stated = StatedIn(root) }
            : null;
    }

    /// <summary>The shared fields the object names, null or not; a field left out is not stated.</summary>
    public static SharedFields StatedIn(JsonElement call)
    {
        var stated = call.TryGetProperty("agent_name", out _) ? SharedFields.AgentName : SharedFields.None;
        if (call.TryGetProperty("contact", out var contact) && contact.ValueKind == JsonValueKind.Object)
        {
            stated |= contact.TryGetProperty("name", out _) ? SharedFields.ContactName : SharedFields.None;
            stated |= contact.TryGetProperty("email", out _) ? SharedFields.ContactEmail : SharedFields.None;
            stated |= contact.TryGetProperty("company", out _) ? SharedFields.ContactCompany : SharedFields.None;
        }
        return stated;
    }

    private static T Enum<T>(JsonFields e, JsonElement obj, string field, TryParse<T> parse, string allowed) where T : struct
    {
        var value = e.String(obj, field, required: true);
        if (value is null)
        {
            return default;
        }
        if (parse(value, out var parsed))
        {
            return parsed;
        }
        e.Fail(field, $"must be one of {allowed}, got \"{JsonFields.Clip(value)}\"");
        return default;
    }

    /// <summary>A timestamp field (whole seconds, Z or an offset), the problem recorded in <paramref name="e"/>.</summary>
    internal static DateTimeOffset? Timestamp(JsonFields e, JsonElement obj, string field, bool required)
    {
        var value = e.String(obj, field, required);
        if (value is null)
        {
            return null;
        }
        if (!UtcSecondsConverter.TryParse(value, out var parsed))
        {
            e.Fail(field, $"must be a timestamp like 2025-04-23T14:30:45Z (whole seconds, Z or an offset), got \"{JsonFields.Clip(value)}\"");
            return null;
        }
        return parsed;
    }

    private static int? Duration(JsonFields e, JsonElement obj, string field)
    {
        if (!e.TryGet(obj, field, required: false, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var seconds) || seconds < 0)
        {
            e.Fail(field, $"must be a whole number of seconds from 0 to {int.MaxValue}, got {value.GetRawText()}");
            return null;
        }
        return seconds;
    }

    private static string? Url(JsonFields e, JsonElement obj, string field)
    {
        var value = e.OptionalString(obj, field);
        if (value is not null && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            e.Fail(field, $"must be an absolute http or https URL, got \"{JsonFields.Clip(value)}\"");
        }
        return value;
    }

    private static Contact? ReadContact(JsonFields e, JsonElement obj, string field)
    {
        if (!e.TryGet(obj, field, required: false, out var value))
        {
            return null;
        }
        var fields = new JsonFields($"{field}.");
        if (value.ValueKind != JsonValueKind.Object)
        {
            e.Fail(field, $"must be an object or null, got {JsonFields.Describe(value)}");
            return null;
        }
        if (!fields.IsObjectOf(value, ContactFields, "a contact"))
        {
            e.Adopt(fields);
            return null;
        }
        var contactId = ContactId(fields, value);
        var name = fields.OptionalString(value, "name");
        var email = fields.OptionalString(value, "email");
        var company = fields.OptionalString(value, "company");
        e.Adopt(fields);
        return fields.First is null ? new Contact(contactId, name, email, company) : null;
    }

    /// <summary>Contact ids are positive integers, as in Klen.</summary>
    private static long ContactId(JsonFields e, JsonElement contact)
    {
        if (!contact.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var contactId) || contactId < 1)
        {
            e.Fail("id", "must be a positive integer");
            return 0;
        }
        return contactId;
    }

    private delegate bool TryParse<T>(string value, out T result);
}
