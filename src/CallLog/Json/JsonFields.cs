using System.Text.Json;
using System.Text.RegularExpressions;

namespace CallLog.Json;

/// <summary>
/// Reads the fields of one JSON object for a write, keeping the first problem as a message that names
/// the field (with its path, e.g. <c>contact.name</c>) and what was expected. Later reads after a
/// failure return defaults cheaply. Fields that may be null may also be left out.
/// </summary>
internal sealed partial class JsonFields(string prefix = "")
{
    public const int MaxIdLength = 200;

    // E.164: a plus, a non-zero country code digit, at most 15 digits in all.
    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}$")]
    private static partial Regex E164();

    public string? First { get; private set; }

    public void Fail(string field, string problem) => First ??= $"field '{prefix}{field}' {problem}";

    /// <summary>The first field that is not allowed or appears twice, as a message; null when all are fine.</summary>
    public static string? FirstUnexpected(JsonElement obj, string[] allowed, string what, string prefix = "")
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                return $"field '{prefix}{Clip(property.Name)}' is not part of {what} (allowed: {string.Join(", ", allowed)})";
            }
            if (!seen.Add(property.Name))
            {
                return $"field '{prefix}{property.Name}' appears more than once";
            }
        }
        return null;
    }

    /// <summary>Checks that <paramref name="obj"/> is an object with only allowed fields; records the problem if not.</summary>
    public bool IsObjectOf(JsonElement obj, string[] allowed, string what)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            First ??= $"expected a JSON object, got {Describe(obj)}";
            return false;
        }
        if (FirstUnexpected(obj, allowed, what, prefix) is { } unexpected)
        {
            First ??= unexpected;
            return false;
        }
        return true;
    }

    /// <summary>Takes a nested reader's first problem as this one's.</summary>
    public void Adopt(JsonFields nested) => First ??= nested.First;

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>Echo enough of a bad value to recognise it, never a wall of text.</summary>
    public static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "...";

    public static bool IsValidId(string value) =>
        value.Length is > 0 and <= MaxIdLength && value.Trim().Length == value.Length;

    public bool TryGet(JsonElement obj, string field, bool required, out JsonElement value)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            // Only reached after the caller's own object check failed and was recorded.
            value = default;
            return false;
        }
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

    public string? String(JsonElement obj, string field, bool required, int maxLength = int.MaxValue)
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
        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            Fail(field, $"must be at most {maxLength} characters, got {text.Length}");
        }
        return text;
    }

    public string? OptionalString(JsonElement obj, string field, int maxLength = int.MaxValue) => String(obj, field, required: false, maxLength);

    /// <summary>A JSON object's text, or null when missing, null or empty (<c>{}</c>).</summary>
    public string? ObjectText(JsonElement obj, string field)
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
        return value.EnumerateObject().Any() ? value.GetRawText() : null;
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], or null when missing or null.</summary>
    public long? Integer(JsonElement obj, string field, bool required, long min, long max)
    {
        if (!TryGet(obj, field, required, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number < min || number > max)
        {
            Fail(field, $"must be a whole number from {min} to {max}, got {Describe(value)}");
            return null;
        }
        return number;
    }

    public string? Id(JsonElement obj, string field)
    {
        var value = String(obj, field, required: true);
        if (value is not null && !IsValidId(value))
        {
            Fail(field, $"must be 1-{MaxIdLength} characters with no leading or trailing spaces");
        }
        return value;
    }

    public string? Phone(JsonElement obj, string field, bool required)
    {
        var value = String(obj, field, required);
        if (value is not null && !E164().IsMatch(value))
        {
            Fail(field, $"must be an E.164 number like +15551234567, got \"{Clip(value)}\"");
        }
        return value;
    }

    public static bool IsPhone(string value) => E164().IsMatch(value);
}
