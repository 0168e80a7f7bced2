using System.Data.Common;

namespace CallLog.Storage;

/// <summary>
/// Rows from a data reader (PostgreSQL): text comes from <see cref="DbDataReader.GetStream"/>, which Npgsql
/// serves from the row already in its buffer with one reused stream, as the column's UTF-8 bytes, copied
/// into one buffer kept for the rows, so reading a column allocates nothing.
/// </summary>
internal sealed class ReaderRows(DbDataReader reader) : StoreRows
{
    private byte[] _text = new byte[1024];

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken) => await reader.ReadAsync(cancellationToken);

    public override bool IsNull(int column) => reader.IsDBNull(column);

    public override long GetInt64(int column) => reader.GetInt64(column);

    public override ReadOnlySpan<byte> GetUtf8(int column)
    {
        using var stream = reader.GetStream(column);
        var length = checked((int)stream.Length);
        if (length > _text.Length)
        {
            _text = new byte[Math.Max(length, _text.Length * 2)];
        }
        stream.ReadExactly(_text, 0, length);
        return _text.AsSpan(0, length);
    }

    public override ValueTask DisposeAsync() => reader.DisposeAsync();
}
