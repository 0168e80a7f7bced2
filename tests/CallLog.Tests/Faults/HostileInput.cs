using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace CallLog.Tests.Faults;

/// <summary>
/// Seeded hostile requests over every endpoint: ids in paths, query strings, bodies, content types and
/// headers that a careless or malicious client sends. The same seed makes the same requests.
/// </summary>
public sealed class HostileInput(int seed, string key, string otherKey)
{
    private readonly Random _random = new(seed);

    private static readonly string[] Methods = ["GET", "GET", "PUT", "PUT", "PATCH", "PATCH", "DELETE", "POST", "HEAD", "OPTIONS"];

    private static readonly string[] Ids =
    [
        "call_fuzz_1", "call_fuzz_2", "assistant_12345", " lead", "trail ", "\ttab", "a b", "\u00fcml\u00e4ut", "\ud83d\ude00", "..", ".", "a/b",
        "%", "%00", "\u0000", "null", "0", "-1", "99999999999999999999999", new string('x', 200), new string('x', 201), new string('y', 3000), new string('z', 7000),
    ];

    private static readonly string[] Params =
        ["agent_id", "status", "type", "page", "limit", "cursor", "started_after", "started_before", "phone_number", "contact_id", "q", "sort", "search", "unknown", "api_key"];

    private static readonly string[] Values =
    [
        "", " ", "0", "1", "-1", "25", "100", "101", "2147483648", "99999999999999999999999", "1e3", "abc", "completed", "completed,failed", ",,", "in-progress,",
        "inbound", "outbound,inbound", "-started_at", "duration_seconds", "+started_at", "2025-06-29T00:00:00Z", "2025-06-29T00:00:00.123+02:00", "2025-13-45T99:99:99Z",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "+15551234567", "+1555*", "*", "+", "%", "_", "\\", "'", "\"", "'; DROP TABLE calls; --", "\u0000", "\ud800",
        "\u00fc", "AQAAAABoYs", new string('q', 201), new string('q', 5000), "12345", "assistant_12345",
    ];

    private static readonly string?[] ContentTypes =
        ["application/json", "application/json", "application/merge-patch+json", "application/json; charset=utf-8", "text/plain", "application/xml", "multipart/form-data", null];

    private static readonly string?[] IfMatches = [null, null, null, "*", "\"1\"", "\"2\"", "W/\"1\"", "garbage", "\"99999999999\"", "\"-1\"", "\"1\", \"2\""];

    private static readonly string[] Fields =
        ["id", "agent_id", "agent_name", "status", "type", "phone_number", "started_at", "ended_at", "duration_seconds", "summary", "recording_url", "contact", "transcript", "metadata", "name", "email", "company"];

    /// <summary>The next request, with a line that describes it for a failure message.</summary>
    public (HttpRequestMessage Request, string Description) Next()
    {
        var method = Pick(Methods);
        var path = Path();
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        var auth = _random.Next(20) switch
        {
            0 => null,
            1 => $"{key}",
            2 => $"Basic {key}",
            3 => $"Bearer {otherKey}",
            4 => "Bearer klen_not_a_real_key",
            _ => $"Bearer {key}",
        };
        if (auth is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", auth);
        }
        if (_random.Next(15) == 0)
        {
            request.Headers.TryAddWithoutValidation("X-API-Key", _random.Next(2) == 0 ? key : otherKey);
        }
        if (Pick(IfMatches) is { } ifMatch)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        string? body = null;
        if (method is "PUT" or "PATCH" or "POST" || _random.Next(10) == 0)
        {
            body = Body();
            request.Content = new ByteArrayContent(_random.Next(30) == 0 ? InvalidUtf8(body) : Encoding.UTF8.GetBytes(body));
            if (Pick(ContentTypes) is { } contentType)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }
        var description = $"{method} {Clip(path)} auth={(auth is null ? "none" : auth.Replace(key, "<key>", StringComparison.Ordinal).Replace(otherKey, "<other>", StringComparison.Ordinal))} " +
            $"if-match={request.Headers.IfMatch} content-type={request.Content?.Headers.ContentType} body={Clip(body ?? "")}";
        return (request, description);
    }

    private string Path()
    {
        var resource = _random.Next(12) switch
        {
            0 or 1 or 2 => $"/api/v1/calls/{Escape(Pick(Ids))}",
            3 or 4 => "/api/v1/calls",
            5 => $"/api/v1/agents/{Escape(Pick(Ids))}",
            6 => "/api/v1/agents",
            7 => $"/api/v1/contacts/{Escape(Pick(Values))}",
            8 => "/api/v1/contacts",
            9 => Pick(["/healthz", "/readyz", "/metrics", "/openapi/v1.json", "/", "/api", "/api/v1/calls/", "/api/v1//calls"]),
            10 => $"/api/v1/calls/{Escape(Pick(Ids))}/{Escape(Pick(Values))}",
            _ => $"/api/v1/{Escape(Pick(Values))}",
        };
        if (_random.Next(3) == 0)
        {
            return resource;
        }
        var query = Enumerable.Range(0, _random.Next(1, 5)).Select(_ => $"{Escape(Pick(Params))}={Escape(Pick(Values))}");
        return $"{resource}?{string.Join('&', query)}";
    }

    /// <summary>A JSON object written by hand, so that it may repeat a field, or text that is not JSON at all.</summary>
    private string Body()
    {
        switch (_random.Next(12))
        {
            case 0:
                return Pick(["", "{", "[]", "null", "\"text\"", "{}", "{\"a\":}", "{'a':1}", "{\"a\":1}}", new string('[', 2000), "1e400", "{\"metadata\":" + new string('[', 500) + "]"]);
            case 1:
                return Object(Fields.Select(f => (f, Value(depth: 0))).Where(_ => _random.Next(2) == 0).ToList());
        }
        var fields = new List<(string Name, string Json)>
        {
            ("agent_id", "\"assistant_12345\""), ("agent_name", "\"Sales\""), ("status", "\"completed\""), ("type", "\"outbound\""),
            ("phone_number", "\"+15551234567\""), ("started_at", "\"2025-04-23T14:30:45Z\""), ("ended_at", "\"2025-04-23T14:35:12Z\""),
            ("duration_seconds", "267"), ("summary", "\"ok\""), ("contact", "{\"id\":123,\"name\":\"John\"}"), ("metadata", "{\"a\":1}"), ("transcript", "\"hi\""),
        };
        for (var i = _random.Next(1, 4); i > 0; i--)
        {
            var at = _random.Next(fields.Count);
            switch (_random.Next(4))
            {
                case 0:
                    fields.RemoveAt(at);
                    break;
                case 1:
                    fields[at] = (fields[at].Name, Value(depth: 0));
                    break;
                case 2:
                    fields.Insert(_random.Next(fields.Count + 1), (_random.Next(2) == 0 ? fields[at].Name : Pick(Fields), Value(depth: 0)));
                    break;
                default:
                    fields.Add((Pick(Values), Value(depth: 0)));
                    break;
            }
            if (fields.Count == 0)
            {
                break;
            }
        }
        return Object(fields);
    }

    private string Value(int depth) => _random.Next(depth > 3 ? 8 : 11) switch
    {
        0 => "null",
        1 => Pick(["0", "-1", "1.5", "2147483648", "1e400", "-0", "99999999999999999999999999"]),
        2 => Pick(["true", "false"]),
        3 or 4 => Quote(Pick(Values)),
        5 => Quote(new string('s', _random.Next(2) == 0 ? 300 : 70_000)),
        6 => Pick(["\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"tab\\there\""]),
        7 => Quote(Pick(Ids)),
        8 => $"[{string.Join(',', Enumerable.Range(0, _random.Next(4)).Select(_ => Value(depth + 1)))}]",
        _ => Object(Enumerable.Range(0, _random.Next(4)).Select(_ => (_random.Next(3) == 0 ? "a" : Pick(Fields), Value(depth + 1))).ToList()),
    };

    private static string Object(List<(string Name, string Json)> fields) =>
        "{" + string.Join(',', fields.Select(f => $"{Quote(f.Name)}:{f.Json}")) + "}";

    private static string Quote(string text)
    {
        var json = new StringBuilder("\"");
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => json.Append("\\\""),
                '\\' => json.Append("\\\\"),
                < ' ' => json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => json.Append(c),
            };
        }
        return json.Append('"').ToString();
    }

    private byte[] InvalidUtf8(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body).ToList();
        bytes.Insert(_random.Next(bytes.Count + 1), (byte)(0x80 + _random.Next(0x7f)));
        return [.. bytes];
    }

    private static string Escape(string value) => Uri.EscapeDataString(value.Replace("\ud800", "", StringComparison.Ordinal));

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    private static string Clip(string value) => value.Length <= 120 ? value : value[..120] + $"...({value.Length} chars)";
}
