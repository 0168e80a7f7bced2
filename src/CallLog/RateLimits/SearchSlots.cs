using System.Threading.RateLimiting;

namespace CallLog.RateLimits;

/// <summary>
/// Searches (<c>q</c>) read every call the other filters leave: seconds at millions of calls. A node runs a
/// few at once and turns the rest away at once (503 with Retry-After) rather than queueing them, so
/// searches cannot take every thread and starve the indexed requests. A workspace holds at most half of
/// the node's slots, so one tenant's storm of searches leaves the others room for theirs.
/// </summary>
internal static class SearchSlots
{
    public const int PerWorkspace = 2;
    public const int PerNode = 4;

    private static readonly PartitionedRateLimiter<long> Limiter = PartitionedRateLimiter.CreateChained(
        PartitionedRateLimiter.Create<long, long>(workspace => RateLimitPartition.GetConcurrencyLimiter(workspace, _ => Slots(PerWorkspace))),
        PartitionedRateLimiter.Create<long, int>(_ => RateLimitPartition.GetConcurrencyLimiter(0, _ => Slots(PerNode))));

    /// <summary>A slot for one search of <paramref name="workspaceId"/>; dispose it when the search ends. Check <c>IsAcquired</c>.</summary>
    public static RateLimitLease TryTake(long workspaceId) => Limiter.AttemptAcquire(workspaceId);

    private static ConcurrencyLimiterOptions Slots(int permits) => new() { PermitLimit = permits, QueueLimit = 0 };
}
