using Microsoft.Extensions.Caching.Memory;

namespace CallLog.Calls;

/// <summary>
/// Where deep pages start, remembered per node: for a filter and sort, the position of the call just
/// before offset N, with the filter's tally version (<c>SUM(changes)</c> over its tally rows, which every
/// write to those calls raises) at the time it was read. A page at offset N whose version still matches
/// reads on from that position like a cursor, instead of counting N index entries again; any write to the
/// filter's calls, on any node, changes the version, so a stale start is never used. A page remembers the
/// start of the page after it, so walking pages by number (as Klen's clients do) costs what a cursor walk
/// costs, and one row before it, so asking for the same deep page again does too. Only for filters whose
/// counts come from the tallies; others count and skip as before.
/// </summary>
internal sealed class PageAnchors : IDisposable
{
    /// <summary>Positions kept; past it, the least recently used go (each is a few dozen bytes).</summary>
    private const int Capacity = 10_000;

    private readonly MemoryCache _positions = new(new MemoryCacheOptions { SizeLimit = Capacity, CompactionPercentage = 0.25 });

    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) };

    public bool TryGet(long workspaceId, CallListQuery query, long offset, long version, out CallPosition position)
    {
        if (_positions.TryGetValue(Key(workspaceId, query, offset), out Anchor? anchor) && anchor!.Version == version)
        {
            position = anchor.Position;
            Hosting.Telemetry.PageAnchor(hit: true);
            return true;
        }
        position = default;
        Hosting.Telemetry.PageAnchor(hit: false);
        return false;
    }

    public void Remember(long workspaceId, CallListQuery query, long offset, long version, CallPosition position) =>
        _positions.Set(Key(workspaceId, query, offset), new Anchor(position, version), Entry);

    public void Dispose() => _positions.Dispose();

    private static AnchorKey Key(long workspaceId, CallListQuery query, long offset) =>
        new(workspaceId, query.Sort, query.Conditions.Signature(), offset);

    private readonly record struct AnchorKey(long WorkspaceId, CallSort Sort, string Conditions, long Offset);

    private sealed record Anchor(CallPosition Position, long Version);
}
