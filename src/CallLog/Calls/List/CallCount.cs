using System.Data.Common;
using System.Globalization;
using Dapper;

namespace CallLog.Calls.List;

/// <summary>A list's count, and the version of the tallies it came from (null when counted over the calls themselves).</summary>
internal readonly record struct CallCount(long Calls, long? Version)
{
    /// <summary>Runs a count query (<see cref="CallListSql.CountQuery"/>) alone.</summary>
    public static async Task<CallCount> QueryAsync(DbConnection connection, (string Sql, DynamicParameters Parameters) count, CancellationToken cancellationToken)
    {
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(count.Sql, count.Parameters, cancellationToken: cancellationToken));
        return await ReadAsync(reader, cancellationToken);
    }

    /// <summary>From a count query's one row: SUM over bigint is numeric on PostgreSQL.</summary>
    public static async Task<CallCount> ReadAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        await reader.ReadAsync(cancellationToken);
        var calls = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
        return new CallCount(calls, reader.IsDBNull(1) ? null : Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
    }
}
