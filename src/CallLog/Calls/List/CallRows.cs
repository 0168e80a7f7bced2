using System.Data.Common;
using CallLog.Storage;
using Dapper;

namespace CallLog.Calls;

/// <summary>
/// A page's rows as the store hands them out, column by column in <see cref="CallQueries"/>' order, with
/// text as UTF-8 bytes: the list writes them into its JSON (<see cref="CallPageWriter"/>) without making a
/// <see cref="Call"/> or a string per row. Microsoft.Data.Sqlite and Npgsql's <c>GetString</c> make a new
/// string for every text column (about ten allocations and 546 bytes per row, bench/results).
/// </summary>
internal abstract class CallRows : IAsyncDisposable
{
    /// <summary>Runs the page's SQL on <paramref name="connection"/>: SQLite's statement stepped directly, any other store's data reader.</summary>
    public static async Task<CallRows> OpenAsync(DbConnection connection, string sql, DynamicParameters parameters, CancellationToken cancellationToken) =>
        connection is SqliteLease lease
            ? new SqliteCallRows(lease.Session, sql, parameters)
            : await OpenReaderAsync(connection, sql, parameters, cancellationToken);

    /// <summary>
    /// A count and a page. Over a network (PostgreSQL) they go as one command, one round trip instead of
    /// two; SQLite runs the count, then steps the page's statement itself. The two parameter sets' names
    /// must not overlap (the page's ranges are prefixed b0_, b1_, ...).
    /// </summary>
    public static async Task<(CallCount Count, CallRows Rows)> OpenCountedAsync(
        DbConnection connection, (string Sql, DynamicParameters Parameters) count, (string Sql, DynamicParameters Parameters) page, CancellationToken cancellationToken)
    {
        if (connection is SqliteLease lease)
        {
            var counted = await CallCount.QueryAsync(connection, count, cancellationToken);
            return (counted, new SqliteCallRows(lease.Session, page.Sql, page.Parameters));
        }
        count.Parameters.AddDynamicParams(page.Parameters);
        var reader = await connection.ExecuteReaderAsync(new CommandDefinition($"{count.Sql};\n{page.Sql}", count.Parameters, cancellationToken: cancellationToken));
        try
        {
            var counted = await CallCount.ReadAsync(reader, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            return (counted, new ReaderCallRows(reader));
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    private static async Task<CallRows> OpenReaderAsync(DbConnection connection, string sql, DynamicParameters parameters, CancellationToken cancellationToken) =>
        new ReaderCallRows(await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)));

    public abstract ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    public abstract bool IsNull(int column);

    public abstract long GetInt64(int column);

    /// <summary>The column's text as UTF-8, valid until the next call on these rows.</summary>
    public abstract ReadOnlySpan<byte> GetUtf8(int column);

    public abstract ValueTask DisposeAsync();

    /// <summary>The current row's place in the list order (columns 0, 6 and 8: id, start, duration).</summary>
    public CallPosition Position(CallSort sort)
    {
        var id = System.Text.Encoding.UTF8.GetString(GetUtf8(0));
        var started = GetInt64(6);
        return new CallPosition(sort.KeyOf(started, IsNull(8) ? null : GetInt64(8)), id);
    }
}

/// <summary>A list's count, and the version of the tallies it came from (null when counted over the calls themselves).</summary>
internal readonly record struct CallCount(long Calls, long? Version)
{
    /// <summary>Runs a count query (<c>CallQueries.CountQuery</c>) alone.</summary>
    public static async Task<CallCount> QueryAsync(DbConnection connection, (string Sql, DynamicParameters Parameters) count, CancellationToken cancellationToken)
    {
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(count.Sql, count.Parameters, cancellationToken: cancellationToken));
        return await ReadAsync(reader, cancellationToken);
    }

    /// <summary>From a count query's one row (<c>CallQueries.CountQuery</c>): SUM over bigint is numeric on PostgreSQL.</summary>
    public static async Task<CallCount> ReadAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        await reader.ReadAsync(cancellationToken);
        var calls = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        return new CallCount(calls, reader.IsDBNull(1) ? null : Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Rows from a data reader (PostgreSQL): text comes from <see cref="DbDataReader.GetStream"/>, which Npgsql
/// serves from the row already in its buffer with one reused stream, as the column's UTF-8 bytes, copied
/// into one buffer kept for the page (measured: 0 bytes per column, against 55 for GetString and GetChars).
/// </summary>
internal sealed class ReaderCallRows(DbDataReader reader) : CallRows
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
