using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallLog.Calls;

/// <summary>
/// Writes timestamps as Klen's API does, <c>2025-04-23T14:30:45Z</c>: UTC, whole seconds. Reads the same
/// form or one with an offset (<c>+02:00</c>); fractions of a second are refused rather than dropped.
/// </summary>
internal sealed class UtcSecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TryParse(reader.GetString(), out var value) ? value : throw new JsonException("expected a timestamp like 2025-04-23T14:30:45Z");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<byte> buffer = stackalloc byte[20];
        writer.WriteStringValue(Utf8(value, buffer));
    }

    /// <summary>A property whose value is a time as the store keeps it (Unix seconds), in the same form.</summary>
    public static void Write(Utf8JsonWriter writer, JsonEncodedText name, long unixSeconds)
    {
        Span<byte> buffer = stackalloc byte[20];
        writer.WriteString(name, Utf8(DateTimeOffset.FromUnixTimeSeconds(unixSeconds), buffer));
    }

    /// <summary>
    /// Klen's form written as the standard "s" form and a 'Z': .NET formats "s" on a fast path, where a
    /// custom format string is parsed at every call, and a page writes two timestamps per call.
    /// </summary>
    private static ReadOnlySpan<byte> Utf8(DateTimeOffset value, Span<byte> buffer)
    {
        value.UtcDateTime.TryFormat(buffer, out var written, "s", CultureInfo.InvariantCulture);
        buffer[written] = (byte)'Z';
        return buffer[..(written + 1)];
    }

    public static bool TryParse(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out value)
        && (text.EndsWith('Z') || text.Length == 25);
}
