using System.Text.Json;
using CallLog.Storage;
using CommunityToolkit.HighPerformance.Buffers;

namespace CallLog.Calls.List;

/// <summary>
/// Writes a list response (<see cref="CallPage"/>'s shape, as the source-generated serializer writes it:
/// the same names, order, nulls, timestamps and escaping) into a pooled buffer, straight from the store's
/// rows (<see cref="CallColumns"/>): no <see cref="Call"/>, no string per column. A page reads one row more
/// than it shows, which says whether there is a next page; only the last shown row's id becomes a string.
/// </summary>
internal sealed class CallPageWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = CallLogJson.Wire.Options.Encoder };

    private static readonly JsonEncodedText CountName = JsonEncodedText.Encode("count");
    private static readonly JsonEncodedText PageName = JsonEncodedText.Encode("page");
    private static readonly JsonEncodedText LimitName = JsonEncodedText.Encode("limit");
    private static readonly JsonEncodedText PagesName = JsonEncodedText.Encode("pages");
    private static readonly JsonEncodedText CallsName = JsonEncodedText.Encode("calls");
    private static readonly JsonEncodedText NextCursorName = JsonEncodedText.Encode("next_cursor");
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

    private readonly ArrayPoolBufferWriter<byte> _body;
    private readonly Utf8JsonWriter _json;
    private readonly int _limit;
    private bool _finished;

    /// <summary>Starts the response: the count and paging fields, then the calls array.</summary>
    public CallPageWriter(long count, int? page, int limit)
    {
        _limit = limit;
        _body = new ArrayPoolBufferWriter<byte>(limit * 640 + 256);
        _json = new Utf8JsonWriter(_body, Options);
        _json.WriteStartObject();
        _json.WriteNumber(CountName, count);
        if (page is { } number)
        {
            _json.WriteNumber(PageName, number);
        }
        else
        {
            _json.WriteNull(PageName);
        }
        _json.WriteNumber(LimitName, limit);
        _json.WriteNumber(PagesName, (count + limit - 1) / limit);
        _json.WriteStartArray(CallsName);
    }

    /// <summary>
    /// Writes up to the page's limit of calls from <paramref name="rows"/>, which hold at most one more.
    /// Returns where the page ended (the last shown call's position) when that one more row says there is
    /// a next page; null on the last page.
    /// </summary>
    public async Task<CallPosition?> WriteCallsAsync(StoreRows rows, CallSort sort, CancellationToken cancellationToken)
    {
        CallPosition? last = null;
        var shown = 0;
        while (await rows.ReadAsync(cancellationToken))
        {
            if (shown == _limit)
            {
                return last;
            }
            last = WriteCall(_json, rows, sort, wantPosition: ++shown == _limit) ?? last;
        }
        return null;
    }

    /// <summary>Ends the response with <paramref name="nextCursor"/>; the writer's buffer now belongs to the result.</summary>
    public CallPageJson Finish(string? nextCursor)
    {
        _json.WriteEndArray();
        if (nextCursor is null)
        {
            _json.WriteNull(NextCursorName);
        }
        else
        {
            _json.WriteString(NextCursorName, nextCursor);
        }
        _json.WriteEndObject();
        _json.Flush();
        _finished = true;
        return new CallPageJson(_body);
    }

    public void Dispose()
    {
        _json.Dispose();
        if (!_finished)
        {
            _body.Dispose();
        }
    }

    /// <summary>One call, columns read in order (a sequential reader allows nothing else); its position when asked for.</summary>
    private static CallPosition? WriteCall(Utf8JsonWriter json, StoreRows row, CallSort sort, bool wantPosition)
    {
        json.WriteStartObject();
        var id = row.GetUtf8(CallColumns.Id);
        json.WriteString(Id, id);
        var idText = wantPosition ? System.Text.Encoding.UTF8.GetString(id) : null;
        json.WriteString(AgentId, row.GetUtf8(CallColumns.AgentId));
        WriteText(json, AgentName, row, CallColumns.AgentName);
        WriteName(json, Status, Statuses, row.GetInt64(CallColumns.Status));
        WriteName(json, Type, Types, row.GetInt64(CallColumns.Type));
        json.WriteString(PhoneNumber, row.GetUtf8(CallColumns.PhoneNumber));
        var started = row.GetInt64(CallColumns.StartedAt);
        UtcSecondsConverter.Write(json, StartedAt, started);
        if (row.IsNull(CallColumns.EndedAt))
        {
            json.WriteNull(EndedAt);
        }
        else
        {
            UtcSecondsConverter.Write(json, EndedAt, row.GetInt64(CallColumns.EndedAt));
        }
        long? duration = row.IsNull(CallColumns.DurationSeconds) ? null : row.GetInt64(CallColumns.DurationSeconds);
        if (duration is { } seconds)
        {
            json.WriteNumber(DurationSeconds, seconds);
        }
        else
        {
            json.WriteNull(DurationSeconds);
        }
        WriteText(json, Summary, row, CallColumns.Summary);
        WriteText(json, RecordingUrl, row, CallColumns.RecordingUrl);
        if (row.IsNull(CallColumns.ContactId))
        {
            json.WriteNull(Contact);
        }
        else
        {
            json.WriteStartObject(Contact);
            json.WriteNumber(Id, row.GetInt64(CallColumns.ContactId));
            WriteText(json, Name, row, CallColumns.ContactName);
            WriteText(json, Email, row, CallColumns.ContactEmail);
            WriteText(json, Company, row, CallColumns.ContactCompany);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        return idText is null ? null : new CallPosition(sort.KeyOf(started, duration), idText);
    }

    private static void WriteText(Utf8JsonWriter json, JsonEncodedText name, StoreRows row, int column)
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
