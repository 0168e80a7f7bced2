using System.Threading.Channels;

namespace CallLog.Events;

/// <summary>
/// Wakes this node's webhook dispatcher when there may be work: a write committed events, an attempt
/// finished, a delivery was queued. Pulses while nobody waits collapse into one. Other nodes find the
/// work at their next poll.
/// </summary>
internal static class EventSignal
{
    private static readonly Channel<bool> Pulses = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public static void Pulse() => Pulses.Writer.TryWrite(true);

    /// <summary>Returns at the next pulse, or after <paramref name="timeout"/>.</summary>
    public static async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Pulses.Reader.TryRead(out _))
        {
            return;
        }
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await Pulses.Reader.WaitToReadAsync(timeoutSource.Token);
            Pulses.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}
