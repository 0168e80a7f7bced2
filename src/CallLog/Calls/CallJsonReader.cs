using System.Text.Json;
using System.Text.RegularExpressions;

namespace CallLog.Calls;

/// <summary>
/// Reads one call in the API's shape from JSON, refusing anything that would not round-trip: unknown or
/// repeated fields, wrong types, unknown status or type, bad timestamps, in-progress calls with an end.
/// Fields that may be null may also be left out. Errors name the field and what was expected.
/// </summary>
internal static partial class CallJsonReader
{
    private static readonly string[] Fields =
        ["id", "agent_id", "agent_name", "status", "type", "phone_number", "started_at", "ended_at",
         "duration_seconds", "summary", "recording_url", "contact"];

    private static readonly string[] WriteFields = [.. Fields, "transcript", "metadata"];

    private static readonly string[] ContactFields = ["id", "name", "email", "company"];

    private const int MaxIdLength = 200;

    // E.164: a plus, a non-zero country code digit, at most 15 digits in all.
    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}$")]
    private static partial Regex E164();

    public static Call? Read(string json, out string? error)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement, out error);
        }
        catch (JsonException ex)
        {
            error = $"not valid JSON ({FirstSentence(ex.Message)})";
            return null;
        }
    }

    public static Call? Read(JsonElement root, out string? error) => Read(root, Fields, null, out error);

    /// <summary>
    /// A write of one call (PUT): the call shape plus <c>transcript</c> (string or null) and <c>metadata</c>
    /// (an object, or null for {}). <c>id</c> may be left out; if present it must be the URL's.
    /// </summary>
    public static CallWrite? ReadWrite(JsonElement root, string id, out string? error)
    {
        if (Read(root, WriteFields, id, out error) is not { } call)
        {
            return null;
        }
        var e = new Errors();
        var transcript = e.OptionalString(root, "transcript");
        string? metadata = null;
        if (root.TryGetProperty("metadata", out var value) && value.ValueKind != JsonValueKind.Null)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                e.Fail("metadata", $"must be an object or null, got {Describe(value)}");
            }
            else if (value.EnumerateObject().Any())
            {
                metadata = value.GetRawText();
            }
        }
        error = e.First;
        return error is null ? new CallWrite(call, transcript, metadata) : null;
    }

    private static Call? Read(JsonElement root, string[] allowed, string? urlId, out string? error)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = $"expected a JSON object, got {Describe(root)}";
            return null;
        }
        if (FirstUnexpected(root, allowed) is { } unexpected)
        {
            error = unexpected;
            return null;
        }
        var e = new Errors();
        var id = urlId is not null && !root.TryGetProperty("id", out _) ? urlId : e.Id(root, "id");
        if (urlId is not null && id is not null && id != urlId)
        {
            e.Fail("id", "must match the id in the URL (or be left out)");
        }
        var agentId = e.Id(root, "agent_id");
        var agentName = e.OptionalString(root, "agent_name");
        var status = e.Enum<CallStatus>(root, "status", CallEnums.TryParseStatus, CallEnums.StatusNames);
        var type = e.Enum<CallType>(root, "type", CallEnums.TryParseType, CallEnums.TypeNames);
        var phone = e.Phone(root, "phone_number");
        var startedAt = e.Timestamp(root, "started_at", required: true);
        var endedAt = e.Timestamp(root, "ended_at", required: false);
        var duration = e.Duration(root, "duration_seconds");
        var summary = e.OptionalString(root, "summary");
        var recordingUrl = e.Url(root, "recording_url");
        var contact = e.Contact(root, "contact");
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
        error = e.First;
        return error is null
            ? new Call(id!, agentId!, agentName, status, type, phone!, startedAt!.Value, endedAt, duration, summary, recordingUrl, contact)
            : null;
    }

    private static string? FirstUnexpected(JsonElement obj, string[] allowed, string prefix = "")
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                return $"field '{prefix}{Clip(property.Name)}' is not part of a call (allowed: {string.Join(", ", allowed)})";
            }
            if (!seen.Add(property.Name))
            {
                return $"field '{prefix}{property.Name}' appears more than once";
            }
        }
        return null;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "...";

    private static string FirstSentence(string message) => message.Split(". ")[0].TrimEnd('.');

    /// <summary>Collects the first failure; later checks on the same line are skipped cheaply.</summary>
    private sealed class Errors
    {
        public string? First { get; private set; }

        public void Fail(string field, string problem) => First ??= $"field '{field}' {problem}";

        private bool TryGet(JsonElement obj, string field, bool required, out JsonElement value)
        {
            if (!obj.TryGetProperty(field, out value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Fail(field, value.ValueKind == JsonValueKind.Null && obj.TryGetProperty(field, out _) ? "must not be null" : "is missing");
                }
                return false;
            }
            return First is null;
        }

        private string? String(JsonElement obj, string field, bool required)
        {
            if (!TryGet(obj, field, required, out var value))
            {
                return null;
            }
            if (value.ValueKind != JsonValueKind.String)
            {
                Fail(field, $"must be a string, got {Describe(value)}");
                return null;
            }
            return value.GetString();
        }

        public string? OptionalString(JsonElement obj, string field) => String(obj, field, required: false);

        public string? Id(JsonElement obj, string field)
        {
            var value = String(obj, field, required: true);
            if (value is not null && (value.Length == 0 || value.Length > MaxIdLength || value.Trim().Length != value.Length))
            {
                Fail(field, $"must be 1-{MaxIdLength} characters with no leading or trailing spaces");
            }
            return value;
        }

        public T Enum<T>(JsonElement obj, string field, TryParse<T> parse, string allowed) where T : struct
        {
            var value = String(obj, field, required: true);
            if (value is null)
            {
                return default;
            }
            if (parse(value, out var parsed))
            {
                return parsed;
            }
            Fail(field, $"must be one of {allowed}, got \"{Clip(value)}\"");
            return default;
        }

        public string? Phone(JsonElement obj, string field)
        {
            var value = String(obj, field, required: true);
            if (value is not null && !E164().IsMatch(value))
            {
                Fail(field, $"must be an E.164 number like +15551234567, got \"{Clip(value)}\"");
            }
            return value;
        }

        public DateTimeOffset? Timestamp(JsonElement obj, string field, bool required)
        {
            var value = String(obj, field, required);
            if (value is null)
            {
                return null;
            }
            if (!UtcSecondsConverter.TryParse(value, out var parsed))
            {
                Fail(field, $"must be a timestamp like 2025-04-23T14:30:45Z (whole seconds, Z or an offset), got \"{Clip(value)}\"");
                return null;
            }
            return parsed;
        }

        public int? Duration(JsonElement obj, string field)
        {
            if (!TryGet(obj, field, required: false, out var value))
            {
                return null;
            }
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var seconds) || seconds < 0)
            {
                Fail(field, $"must be a whole number of seconds from 0 to {int.MaxValue}, got {value.GetRawText()}");
                return null;
            }
            return seconds;
        }

        public string? Url(JsonElement obj, string field)
        {
            var value = String(obj, field, required: false);
            if (value is not null && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
            {
                Fail(field, $"must be an absolute http or https URL, got \"{Clip(value)}\"");
            }
            return value;
        }

        public Contact? Contact(JsonElement obj, string field)
        {
            if (!TryGet(obj, field, required: false, out var value))
            {
                return null;
            }
            if (value.ValueKind != JsonValueKind.Object)
            {
                Fail(field, $"must be an object or null, got {Describe(value)}");
                return null;
            }
            if (FirstUnexpected(value, ContactFields, "contact.") is { } unexpected)
            {
                First ??= unexpected;
                return null;
            }
            if (!value.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var contactId) || contactId < 1)
            {
                Fail("contact.id", "must be a positive integer");
                return null;
            }
            var name = String(value, "name", required: false);
            var email = String(value, "email", required: false);
            var company = String(value, "company", required: false);
            if (First is not null)
            {
                First = First.Replace("field '", "field 'contact.", StringComparison.Ordinal);
                return null;
            }
            return new Contact(contactId, name, email, company);
        }
    }

    private delegate bool TryParse<T>(string value, out T result);
}
