namespace Floor;

/// <summary>
/// One request shape of bench/mix.lua as the straightforward SQL a hand-written service would run for it:
/// COUNT(*) over the matching calls, then the page with its agent and contact, ordered by
/// started_at DESC, id DESC with LIMIT/OFFSET (or, for a cursor walk, <see cref="Below"/> a random point
/// in time; its count, like the API's, is of the whole list).
/// :name placeholders are random integers drawn per request from <see cref="Variables"/>.
/// </summary>
internal sealed record Shape(string Name, int Weight, string Where, int Limit, string Offset, Dictionary<string, (long Min, long Max)> Variables,
    string Below = "")
{
    private const string Columns =
        "c.id, c.agent_id, a.name, c.status, c.type, c.phone_number, c.started_at, c.ended_at, c.duration_seconds, " +
        "c.summary, c.recording_url, c.contact_id, k.name, k.email, k.company";

    public string Count(long workspace) => $"SELECT COUNT(*) FROM calls c WHERE c.workspace_id = {workspace}{Where};";

    public string Page(long workspace) =>
        $"SELECT {Columns} FROM calls c " +
        "LEFT JOIN agents a ON a.workspace_id = c.workspace_id AND a.id = c.agent_id " +
        "LEFT JOIN contacts k ON k.workspace_id = c.workspace_id AND k.id = c.contact_id " +
        $"WHERE c.workspace_id = {workspace}{Where}{Below} ORDER BY c.started_at DESC, c.id DESC LIMIT {Limit} OFFSET {Offset};";
}

internal static class Mix
{
    // The demo data's 90 days, as stored (Unix seconds): cursor walks start below a random point in them.
    private const long FirstDay = 1_743_530_400, Anchor = 1_751_306_400;

    /// <summary>The same shapes and weights as bench/mix.lua (22 in all); deepOffset is its deep page's offset.</summary>
    public static Shape[] Shapes(long deepOffset) =>
    [
        new("seed default", 4, "", 10, "0", []),
        new("agent_id", 2, " AND c.agent_id = 'assistant_12345'", 10, "0", []),
        new("status", 2, " AND c.status = :status", 10, "0", new() { ["status"] = (1, 3) }),
        new("type", 2, " AND c.type = :type", 10, "0", new() { ["type"] = (1, 2) }),
        new("seed example", 2, " AND c.agent_id = 'assistant_12345' AND c.type = 2", 25, "0", []),
        new("limit=100", 2, "", 100, "0", []),
        new("random page", 2, "", 10, ":page * 10", new() { ["page"] = (0, 99) }),
        new("deep page", 1, "", 10, deepOffset.ToString(System.Globalization.CultureInfo.InvariantCulture), []),
        new("cursor walk", 5, "", 20, "0", new() { ["before"] = (FirstDay, Anchor) }, " AND (c.started_at, c.id) < (:before, 'call_')"),
    ];
}
