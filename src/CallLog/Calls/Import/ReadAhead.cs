using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace CallLog.Calls.Import;

/// <summary>
/// Reads an import's lines on another thread while the store writes the ones already read: parsing JSON
/// (or generating demo calls) and writing rows each keep a core busy, and one after the other they leave
/// the second core idle. Lines cross in batches, so the handover costs little per line; at most
/// <see cref="BatchesAhead"/> batches wait, so memory stays flat however long the input is.
/// </summary>
internal static class ReadAhead
{
    private const int BatchSize = 256;
    private const int BatchesAhead = 4;

    public static async IAsyncEnumerable<ImportLine> ReadAheadAsync(this IAsyncEnumerable<ImportLine> lines, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batches = Channel.CreateBounded<ImportLine[]>(new BoundedChannelOptions(BatchesAhead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => ReadAsync(lines, batches.Writer, stop.Token), CancellationToken.None);
        try
        {
            // A failure while reading arrives here as the exception it was.
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                foreach (var line in batch)
                {
                    yield return line;
                }
            }
        }
        finally
        {
            // The store stopped early (a bad line, a failure) or is done: either way the reading stops too,
            // and is waited for, so none of it outlives the import. (A read already waiting on its input,
            // such as a pipe, returns with that input first: a stream read cannot always be cancelled.)
            await stop.CancelAsync();
            await reading;
        }
    }

    private static async Task ReadAsync(IAsyncEnumerable<ImportLine> lines, ChannelWriter<ImportLine[]> batches, CancellationToken cancellationToken)
    {
        try
        {
            var batch = new ImportLine[BatchSize];
            var count = 0;
            await foreach (var line in lines.WithCancellation(cancellationToken))
            {
                batch[count++] = line;
                if (count == BatchSize)
                {
                    await batches.WriteAsync(batch, cancellationToken);
                    (batch, count) = (new ImportLine[BatchSize], 0);
                }
            }
            if (count > 0)
            {
                await batches.WriteAsync(batch[..count], cancellationToken);
            }
            batches.Complete();
        }
        catch (Exception failure)
        {
            // Cancelled because the store stopped reading: nobody sees this. Otherwise the store sees it.
            batches.TryComplete(failure);
        }
    }
}
