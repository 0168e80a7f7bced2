using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace CallLog.Json;

/// <summary>
/// Strings that parse as JSON but are not text a store can keep: bytes that are not UTF-8 and escaped lone
/// surrogates (<c>"\ud800"</c>) have no UTF-16 form, so reading them throws, and <c>"\u0000"</c> is refused
/// by PostgreSQL (SQLite would keep it, and the two stores are meant to agree). The parser checks neither
/// inside strings; here each string is checked as UTF-8 and decoded only if it has an escape, so that a
/// request or an import line gets a 400 or an error naming the field instead of a failure deep in a write.
/// </summary>
internal static class JsonText
{
    /// <summary>The first string value or field name anywhere in <paramref name="root"/> that is not storable text, as a message naming where it is (e.g. <c>field 'contact.name' contains a NUL character</c>); null when all are fine.</summary>
    public static string? FirstProblem(JsonElement root)
    {
        // Most documents have no escape at all: one pass over the whole text clears them (an import's lines).
        var raw = JsonMarshal.GetRawUtf8Value(root);
        if ((!raw.Contains((byte)'\\') && Utf8.IsValid(raw)) || Find(root) is not { } found)
        {
            return null;
        }
        found.Path.Reverse(); // collected on the way back up
        var path = string.Concat(found.Path).TrimStart('.');
        var where = (found.InName, path.Length) switch
        {
            (true, 0) => "a field name",
            (true, _) => $"a field name in '{path}'",
            (false, 0) => "the body",
            _ => $"field '{path}'",
        };
        return $"{where} {found.Problem}";
    }

    /// <summary>What is wrong, and where: path segments, innermost first.</summary>
    private sealed record Found(string Problem, bool InName, List<string> Path);

    private static Found? Find(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Problem(JsonMarshal.GetRawUtf8Value(element), element, default) is { } inText ? new Found(inText, false, []) : null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (Problem(JsonMarshal.GetRawUtf8PropertyName(property), default, property) is { } inName)
                    {
                        return new Found(inName, true, []);
                    }
                    if (Find(property.Value) is { } inValue)
                    {
                        inValue.Path.Add($".{JsonFields.Clip(property.Name)}");
                        return inValue;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item) is { } inItem)
                    {
                        inItem.Path.Add($"[{index}]");
                        return inItem;
                    }
                    index++;
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The problem with one string (a value, or else a property's name), given its raw bytes. Only a string
    /// with an escape or with bytes that are not UTF-8 can have one, so the rest are not decoded here.
    /// </summary>
    private static string? Problem(ReadOnlySpan<byte> raw, JsonElement value, JsonProperty name)
    {
        if (!Utf8.IsValid(raw))
        {
            return "is not valid UTF-8";
        }
        if (!raw.Contains((byte)'\\'))
        {
            return null;
        }
        try
        {
            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : name.Name;
            return text.Contains('\0', StringComparison.Ordinal) ? "contains a NUL character (\\u0000)" : null;
        }
        catch (InvalidOperationException)
        {
            return "has an escaped lone surrogate (such as \\ud800 without its pair), which is not Unicode text";
        }
    }
}
