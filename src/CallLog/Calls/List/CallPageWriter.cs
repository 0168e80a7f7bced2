using System.Text.Json;
using CommunityToolkit.HighPerformance.Buffers;

namespace CallLog.Calls;

/// <summary>
/// Writes a list response (<see cref="CallPage"/>'s shape, as the source-generated serializer writes it:
/// the same names, order, nulls, timestamps and escaping) into a pooled buffer, straight from the store's
/// rows: no <see cref="Call"/>, no string per column. A page reads one row more than it shows, which says
/// whether there is a next page; only the last shown row's id becomes a string, for the next cursor.
/// </summary>
internal static class CallPageWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = CallLogJson.Wire.Options.Encoder };

    private static readonly JsonEncodedText Count = JsonEncodedText.Encode("count");
    private static readonly JsonEncodedText Page = JsonEncodedText.Encode("page");
    private static readonly JsonEncodedText Limit = JsonEncodedText.Encode("limit");
    private static readonly JsonEncodedText Pages = JsonEncodedText.Encode("pages");
    private static readonly JsonEncodedText Calls = JsonEncodedText.Encode("calls");
    private static readonly JsonEncodedText NextCursor = JsonEncodedText.Encode("next_cursor");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText AgentId = JsonEncodedText.Encode("agent_id");
    private static readonly JsonEncodedText AgentName = JsonEncodedText.Encode("agent_name");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText PhoneNumber = JsonEncodedText.Encode("phone_number");
    private static readonly JsonEncodedText StartedAt = JsonEncodedText.Encode("started_at");
    private static readonly JsonEncodedText EndedAt = JsonEncodedText.Encode("ended_at");
    private static readonly JsonEncodedText DurationSeconds = JsonEncodedText.Encode("duration_seconds");
    private static readonly JsonEncodedText Summary = JsonEncodedText.Encode("summary");
    private static readonly JsonEncodedText RecordingUrl = JsonEncodedText.Encode("recording_url");
    private static readonly JsonEncodedText Contact = JsonEncodedText.Encode("contact");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Email = JsonEncodedText.Encode("email");
    private static readonly JsonEncodedText Company = JsonEncodedText.Encode("company");

    /// <summary>The enums' wire names, by the number the store keeps (index 0 unused).</summary>
    private static readonly JsonEncodedText[] Statuses = Names<CallStatus>();
    private static readonly JsonEncodedText[] Types = Names<CallType>();

    /// <summary>
    /// The page: <paramref name="rows"/> (none for an empty page) hold at most <paramref name="limit"/> + 1
    /// rows; <paramref name="cursor"/> makes the next cursor from the last shown row's sort key and id.
    /// </summary>
    public static async Task<CallPageJson> WriteAsync(
        long count, int? page, int limit, CallRows? rows, CallSort sort, Func<CallPosition, string> cursor, CancellationToken cancellationToken)
    {
        var body = new ArrayPoolBufferWriter<byte>(limit * 640 + 256);
        try
        {
            await using var json = new Utf8JsonWriter(body, Options);
            json.WriteStartObject();
            json.WriteNumber(Count, count);
            if (page is { } number)
            {
                json.WriteNumber(Page, number);
            }
            else
            {
                json.WriteNull(Page);
            }
            json.WriteNumber(Limit, limit);
            json.WriteNumber(Pages, (count + limit - 1) / limit);
            json.WriteStartArray(Calls);
            CallPosition? last = null;
            string? next = null;
            var shown = 0;
            while (rows is not null && await rows.ReadAsync(cancellationToken))
            {
                if (shown == limit)
                {
                    next = cursor(last!.Value);
                    break;
                }
                var position = WriteCall(json, rows, sort, wantPosition: ++shown == limit);
                last = position ?? last;
            }
            json.WriteEndArray();
            if (next is null)
            {
                json.WriteNull(NextCursor);
            }
            else
            {
                json.WriteString(NextCursor, next);
            }
            json.WriteEndObject();
            json.Flush();
            return new CallPageJson(body);
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>One call, columns read in order (a sequential reader allows nothing else); its position when asked for.</summary>
    private static CallPosition? WriteCall(Utf8JsonWriter json, CallRows row, CallSort sort, bool wantPosition)
    {
        json.WriteStartObject();
        var id = row.GetUtf8(0);
        json.WriteString(Id, id);
        var idText = wantPosition ? System.Text.Encoding.UTF8.GetString(id) : null;
        json.WriteString(AgentId, row.GetUtf8(1));
        WriteText(json, AgentName, row, 2);
        WriteName(json, Status, Statuses, row.GetInt64(3));
        WriteName(json, Type, Types, row.GetInt64(4));
        json.WriteString(PhoneNumber, row.GetUtf8(5));
        var started = row.GetInt64(6);
        UtcSecondsConverter.Write(json, StartedAt, started);
        if (row.IsNull(7))
        {
            json.WriteNull(EndedAt);
        }
        else
        {
            UtcSecondsConverter.Write(json, EndedAt, row.GetInt64(7));
        }
        long? duration = row.IsNull(8) ? null : row.GetInt64(8);
        if (duration is { } seconds)
        {
            json.WriteNumber(DurationSeconds, seconds);
        }
        else
        {
            json.WriteNull(DurationSeconds);
        }
        WriteText(json, Summary, row, 9);
        WriteText(json, RecordingUrl, row, 10);
        if (row.IsNull(11))
        {
            json.WriteNull(Contact);
        }
        else
        {
            json.WriteStartObject(Contact);
            json.WriteNumber(Id, row.GetInt64(11));
            WriteText(json, Name, row, 12);
            WriteText(json, Email, row, 13);
            WriteText(json, Company, row, 14);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        return idText is null ? null : new CallPosition(sort.KeyOf(started, duration), idText);
    }

    private static void WriteText(Utf8JsonWriter json, JsonEncodedText name, CallRows row, int column)
    {
        if (row.IsNull(column))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, row.GetUtf8(column));
        }
    }

    private static void WriteName(Utf8JsonWriter json, JsonEncodedText name, JsonEncodedText[] names, long value)
    {
        if (value > 0 && value < names.Length)
        {
            json.WriteString(name, names[value]);
        }
        else
        {
            json.WriteNumber(name, value); // as the serializer writes a number its enum does not name
        }
    }

    private static JsonEncodedText[] Names<TEnum>() where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>();
        var names = new JsonEncodedText[values.Max(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)) + 1];
        foreach (var value in values)
        {
            // The enum's own converter names it, so the list and the serializer cannot disagree.
            var quoted = JsonSerializer.Serialize(value, typeof(TEnum), CallLogJson.Wire);
            names[Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)] = JsonEncodedText.Encode(quoted[1..^1]);
        }
        return names;
    }
}
