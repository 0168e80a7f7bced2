using CallLog.Storage;

namespace CallLog.Calls.List;

/// <summary>A position in the list order: a call's sort key and id, where a page ended or starts.</summary>
internal readonly record struct CallPosition(long Key, string Id)
{
    /// <summary>The position of the call <paramref name="row"/> is on (<see cref="CallColumns"/>).</summary>
    public static CallPosition Of(StoreRows row, CallSort sort)
    {
        var id = System.Text.Encoding.UTF8.GetString(row.GetUtf8(CallColumns.Id));
        var started = row.GetInt64(CallColumns.StartedAt);
        long? duration = row.IsNull(CallColumns.DurationSeconds) ? null : row.GetInt64(CallColumns.DurationSeconds);
        return new CallPosition(sort.KeyOf(started, duration), id);
    }
}
