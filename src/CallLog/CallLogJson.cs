using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using CallLog.Agents;
using CallLog.Calls;
using CallLog.Calls.List;
using CallLog.Contacts;
using CallLog.Dialing;
using CallLog.Errors;
using CallLog.Events;
using CallLog.Hosting;
using CallLog.Keys;
using CallLog.Webhooks;

namespace CallLog;

/// <summary>Source-generated JSON for every wire type: snake_case names, nulls written, no reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CallPage))]
[JsonSerializable(typeof(EventPage))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Call))]
[JsonSerializable(typeof(CallDetail))]
[JsonSerializable(typeof(AgentPage))]
[JsonSerializable(typeof(Agent))]
[JsonSerializable(typeof(AgentName))]
[JsonSerializable(typeof(ContactPage))]
[JsonSerializable(typeof(ContactDetail))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(CreatedKey))]
[JsonSerializable(typeof(IReadOnlyList<KeyInfo>))]
[JsonSerializable(typeof(Webhook))]
[JsonSerializable(typeof(CreatedWebhook))]
[JsonSerializable(typeof(WebhookList))]
[JsonSerializable(typeof(Delivery))]
[JsonSerializable(typeof(DeliveryPage))]
[JsonSerializable(typeof(Replay))]
[JsonSerializable(typeof(TestEvent))]
[JsonSerializable(typeof(PlacedCall))]
[JsonSerializable(typeof(ClaimedCalls))]
[JsonSerializable(typeof(DoNotCallEntry))]
[JsonSerializable(typeof(Campaign))]
[JsonSerializable(typeof(CampaignList))]
internal sealed partial class CallLogJson : JsonSerializerContext
{
    /// <summary>
    /// Relaxed escaping keeps "+15551234567" readable instead of "\u002B15551234567". Safe here: every
    /// response is application/json, never embedded in HTML.
    /// </summary>
    public static CallLogJson Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new UtcSecondsConverter() },
    });
}
