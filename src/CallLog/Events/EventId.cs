using System.Globalization;

namespace CallLog.Events;

/// <summary>
/// An event's id: <c>evt_</c>, the workspace, and the event's number in that workspace, zero-padded so
/// that within a workspace ids sort as text in the order they were committed.
/// </summary>
internal static class EventId
{
    private const string Prefix = "evt_";

    public static string Format(long workspaceId, long seq) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{workspaceId}_{seq:D12}");

    /// <summary>The event number of <paramref name="id"/>, when it is an id of <paramref name="workspaceId"/>.</summary>
    public static bool TryParse(string id, long workspaceId, out long seq)
    {
        seq = 0;
        var separator = id.StartsWith(Prefix, StringComparison.Ordinal) ? id.IndexOf('_', Prefix.Length) : -1;
        if (separator < 0)
        {
            return false;
        }
        return long.TryParse(id.AsSpan(Prefix.Length, separator - Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var workspace)
            && workspace == workspaceId
            && long.TryParse(id.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out seq);
    }
}
