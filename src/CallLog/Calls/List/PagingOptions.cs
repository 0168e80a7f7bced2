namespace CallLog.Calls.List;

internal sealed class PagingOptions
{
    /// <summary>Page starts each node remembers (a few dozen bytes each); 0 remembers none, so every page by number skips its offset.</summary>
    public int RememberedStarts { get; set; } = 10_000;
}
