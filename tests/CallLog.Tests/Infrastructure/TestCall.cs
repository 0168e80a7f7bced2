using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallLog.Tests.Infrastructure;

/// <summary>A call as a client writes it: the tests' own copy of the wire shape, independent of the product's types.</summary>
public sealed record TestCall(
    string Id,
    string AgentId,
    string? AgentName,
    string Status,
    string Type,
    string PhoneNumber,
    string StartedAt,
    string? EndedAt,
    int? DurationSeconds,
    string? Summary,
    string? RecordingUrl,
    TestContact? Contact)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TestCall Completed(string id, string agentId = "assistant_12345", string startedAt = "2025-04-23T14:30:45Z") =>
        new(id, agentId, "Sales Representative", "completed", "outbound", "+15551234567", startedAt,
            DateTimeOffset.Parse(startedAt, System.Globalization.CultureInfo.InvariantCulture).AddSeconds(267).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), 267, "Brief summary of the call content...",
            $"https://storage.example.com/recordings/{id}.mp3", new TestContact(123, "John Doe", "john@example.com", "Acme Corp"));

    /// <summary>A PUT body: <see cref="TestCall.Completed"/> in the given status, with transcript and metadata.</summary>
    public static string WriteBody(string id, string status = "completed", string? transcript = "Agent: Hello.\nCustomer: Hi.",
        string metadata = """{"campaign":"spring","attempt":2}""", string agentId = "assistant_12345")
    {
        var call = Completed(id, agentId) with { Status = status };
        if (status == "in-progress")
        {
            call = call with { EndedAt = null, DurationSeconds = null, Summary = null, RecordingUrl = null };
        }
        var json = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(call.ToJson())!;
        json["transcript"] = JsonSerializer.SerializeToElement(transcript);
        json["metadata"] = JsonDocument.Parse(metadata).RootElement;
        return JsonSerializer.Serialize(json);
    }

    /// <summary>An id no other test uses.</summary>
    public static string NewId() => $"call_{Guid.NewGuid():N}";
}

public sealed record TestContact(long Id, string? Name, string? Email, string? Company);
