using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CallLog.Client;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>
/// The hand-written .NET client against docs/openapi.json: each model has exactly its schema's properties,
/// nullable where the schema allows null and only there, and its enums have the schema's values.
/// </summary>
public sealed class ClientModelsTests
{
    private static readonly JsonNode Schemas = OpenApiDocument.Committed.Node["components"]!["schemas"]!;

    public static TheoryData<string, string> Models => new()
    {
        { nameof(Call), "Call" },
        { nameof(CallDetail), "CallDetail" },
        { nameof(Contact), "Contact" },
        { nameof(CallPage), "CallPage" },
        { nameof(Agent), "Agent" },
        { nameof(AgentPage), "AgentPage" },
        { nameof(ContactRecord), "ContactDetail" },
        { nameof(ContactPage), "ContactPage" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void AModelHasItsSchemasPropertiesNullableExactlyWhereTheSchemaIs(string model, string schemaName)
    {
        var type = typeof(CallLogClient).Assembly.GetType($"CallLog.Client.{model}")!;
        var schema = Schemas[schemaName]!;
        var nullability = new NullabilityInfoContext();
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.Name != "EqualityContract")
            .ToDictionary(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name), p => p);
        var documented = schema["properties"]!.AsObject();
        Assert.Equal(documented.Select(p => p.Key).Order(StringComparer.Ordinal), properties.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, property) in documented)
        {
            var clientNullable = Nullable.GetUnderlyingType(properties[name].PropertyType) is not null
                || nullability.Create(properties[name]).ReadState == NullabilityState.Nullable;
            Assert.True(AllowsNull(property!) == clientNullable,
                $"{model}.{properties[name].Name} is {(clientNullable ? "" : "not ")}nullable, but {schemaName}.{name} {(AllowsNull(property!) ? "allows" : "does not allow")} null");
        }
    }

    [Theory]
    [InlineData(typeof(CallStatus), "CallStatus")]
    [InlineData(typeof(CallType), "CallType")]
    public void AnEnumHasItsSchemasValues(Type type, string schemaName)
    {
        var values = type.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()!.Name);
        Assert.Equal(Schemas[schemaName]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal), values.Order(StringComparer.Ordinal));
    }

    private static bool AllowsNull(JsonNode property) =>
        property["type"] is JsonArray types && types.Any(t => t!.GetValue<string>() == "null")
        || property["oneOf"] is JsonArray options && options.Any(o => o!["type"]?.GetValue<string>() == "null");
}
