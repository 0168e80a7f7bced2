using CallLog.Hosting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CallLog.Calls.List;

/// <summary>
/// Where deep pages start, remembered per node: for a filter and sort, the position of the call just
/// before offset N, with the filter's tally version (<c>SUM(changes)</c> over its tally rows, which every
/// write to those calls raises) at the time it was read. A page at offset N whose version still matches
/// reads on from that position like a cursor, instead of counting N index entries again; any write to the
/// filter's calls, on any node, changes the version, so a stale start is never used. A page remembers the
/// start of the page after it, so walking pages by number (as Klen's clients do) costs what a cursor walk
/// costs, and one row before it, so asking for the same deep page again does too. Only for filters whose
/// counts come from the tallies, which have a version; other filters count and skip every time.
/// </summary>
internal sealed class PageStarts(IOptions<PagingOptions> options) : IDisposable
{
    /// <summary>Past the limit (<see cref="PagingOptions.RememberedStarts"/>), the least recently used go.</summary>
    private readonly MemoryCache _positions = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.RememberedStarts), CompactionPercentage = 0.25 });

    private readonly bool _enabled = options.Value.RememberedStarts > 0;

    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) };

    public bool TryGet(long workspaceId, CallListQuery query, long offset, long version, out CallPosition position)
    {
        if (!_enabled)
        {
            position = default;
            return false;
        }
        if (_positions.TryGetValue(Key(workspaceId, query, offset), out Start? start) && start!.Version == version)
        {
            position = start.Position;
            Telemetry.PageStart(hit: true);
            return true;
        }
        position = default;
        Telemetry.PageStart(hit: false);
        return false;
    }

    public void Remember(long workspaceId, CallListQuery query, long offset, long version, CallPosition position)
    {
        if (_enabled)
        {
            _positions.Set(Key(workspaceId, query, offset), new Start(position, version), Entry);
        }
    }

    public void Dispose() => _positions.Dispose();

    private static StartKey Key(long workspaceId, CallListQuery query, long offset) =>
        new(workspaceId, query.Sort, query.Conditions.Signature(), offset);

    private readonly record struct StartKey(long WorkspaceId, CallSort Sort, string Conditions, long Offset);

    private sealed record Start(CallPosition Position, long Version);
}
