namespace CallLog.Calls.List;

/// <summary>The list orders: by start (newest first, the default) or by duration, either way; ties by id in the same direction.</summary>
internal enum CallSort
{
    StartedDescending,
    StartedAscending,
    DurationDescending,
    DurationAscending,
}

internal static class CallSorts
{
    public const string Names = "-started_at, started_at, -duration_seconds, duration_seconds";

    /// <summary>The sorts as the API spells them, in <see cref="Names"/>' order.</summary>
    public static readonly string[] Wire = ["-started_at", "started_at", "-duration_seconds", "duration_seconds"];

    public static bool TryParse(string? value, out CallSort sort)
    {
        (var ok, sort) = value switch
        {
            "-started_at" => (true, CallSort.StartedDescending),
            "started_at" => (true, CallSort.StartedAscending),
            "-duration_seconds" => (true, CallSort.DurationDescending),
            "duration_seconds" => (true, CallSort.DurationAscending),
            _ => (false, CallSort.StartedDescending),
        };
        return ok;
    }

    public static bool Descending(this CallSort sort) => sort is CallSort.StartedDescending or CallSort.DurationDescending;

    /// <summary>
    /// The sort key over calls alias <c>c</c>. Calls still in progress have no duration and sort as -1:
    /// last when longest come first, first when shortest do. The expression matches the calls_by_duration
    /// index; when other filters narrow the calls (<paramref name="narrowed"/>), "+ 0" keeps the store from
    /// walking that index in order through millions of non-matching calls: it finds the few matching calls
    /// by their own index and sorts them.
    /// </summary>
    public static string Key(this CallSort sort, bool narrowed) => sort switch
    {
        CallSort.DurationDescending or CallSort.DurationAscending when narrowed => "(COALESCE(c.duration_seconds, -1) + 0)",
        CallSort.DurationDescending or CallSort.DurationAscending => "COALESCE(c.duration_seconds, -1)",
        _ => "c.started_at",
    };

    /// <summary>The key's value for a call (its start in Unix seconds, its duration), as the cursor records it.</summary>
    public static long KeyOf(this CallSort sort, long startedAt, long? durationSeconds) =>
        sort is CallSort.DurationDescending or CallSort.DurationAscending ? durationSeconds ?? -1 : startedAt;
}
