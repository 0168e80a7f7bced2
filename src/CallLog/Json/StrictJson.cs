using System.Buffers;
using System.Text.Json;

namespace CallLog.Json;

/// <summary>
/// Parses request bodies and import lines, refusing an object that repeats a field name: JSON leaves its
/// meaning undefined, and a stored object with a repeated key breaks every later merge into it.
/// </summary>
internal static class StrictJson
{
    private static readonly JsonDocumentOptions NoRepeats = new() { AllowDuplicateProperties = false };
    private static readonly JsonDocumentOptions Repeats = new() { AllowDuplicateProperties = true };

    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8) => JsonDocument.Parse(utf8, NoRepeats);

    public static JsonDocument Parse(string json) => JsonDocument.Parse(json, NoRepeats);

    /// <summary>
    /// For JSON that <see cref="Parse(string)"/> refused: the first repeated field, as a message naming its
    /// path (<c>field 'metadata.a' appears more than once</c>), or null when the JSON is broken some other way.
    /// Only failed input pays for the second read.
    /// </summary>
    public static string? RepeatedField(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8, Repeats);
            return Find(document.RootElement, "") is { } path ? $"field '{path}' appears more than once" : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? RepeatedField(string json) => RepeatedField(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>
    /// Stored JSON read back: a store written by a build that accepted repeated fields is read keeping each field's
    /// last value, as most JSON readers do, so that such a call still reads and merges.
    /// </summary>
    public static JsonElement ReadStored(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, NoRepeats);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var repeated = JsonDocument.Parse(json, Repeats);
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                WriteLastWins(writer, repeated.RootElement);
            }
            using var cleaned = JsonDocument.Parse(buffer.WrittenMemory);
            return cleaned.RootElement.Clone();
        }
    }

    private static void WriteLastWins(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                // A field keeps the place it first had and the value it last had.
                var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    fields[property.Name] = property.Value;
                }
                writer.WriteStartObject();
                foreach (var (name, value) in fields)
                {
                    writer.WritePropertyName(name);
                    WriteLastWins(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteLastWins(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static string? Find(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var here = path.Length == 0 ? JsonFields.Clip(property.Name) : $"{path}.{JsonFields.Clip(property.Name)}";
                    if (!seen.Add(property.Name))
                    {
                        return here;
                    }
                    if (Find(property.Value, here) is { } inner)
                    {
                        return inner;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, $"{path}[{index++}]") is { } inner)
                    {
                        return inner;
                    }
                }
                return null;
            default:
                return null;
        }
    }
}
