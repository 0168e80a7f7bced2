namespace CallLog.Storage;

/// <summary>
/// A query's rows read column by column, text as UTF-8 bytes: the list writes a page of calls into its
/// JSON from them (<c>CallPageWriter</c>) without a string per column, which the providers'
/// <c>GetString</c> would make. Opened by <see cref="Database.OpenRowsAsync"/>.
/// </summary>
internal abstract class StoreRows : IAsyncDisposable
{
    public abstract ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    public abstract bool IsNull(int column);

    public abstract long GetInt64(int column);

    /// <summary>The column's text as UTF-8, valid until the next call on these rows.</summary>
    public abstract ReadOnlySpan<byte> GetUtf8(int column);

    public abstract ValueTask DisposeAsync();
}
