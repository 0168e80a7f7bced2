using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CallLog.Client;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, Converters = [typeof(UtcSecondsConverter)])]
[JsonSerializable(typeof(CallPage))]
[JsonSerializable(typeof(CallDetail))]
[JsonSerializable(typeof(AgentPage))]
[JsonSerializable(typeof(Agent))]
[JsonSerializable(typeof(ContactPage))]
[JsonSerializable(typeof(ContactRecord))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class ClientJson : JsonSerializerContext;

/// <summary>The server's error body.</summary>
internal sealed record ErrorBody(string? Error, string? Message, string? RequestId);

/// <summary>Timestamps as the API speaks them: UTC, whole seconds (a fraction is dropped, since the server refuses one).</summary>
internal sealed class UtcSecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds()).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
