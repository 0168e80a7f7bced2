using System.Data.Common;
using CallLog.Agents;
using CallLog.Hosting;
using CallLog.Storage;

namespace CallLog.Calls.List;

/// <summary>
/// Answers the list endpoint: a page by number (offset) or after a cursor (keyset), written as the
/// response's JSON straight from the store's rows (<see cref="CallPageWriter"/>), with the exact count,
/// from the tallies when it can. Its SQL is <see cref="CallListSql"/>.
/// </summary>
internal sealed class CallList(Database database, CursorCodec cursors, PageStarts starts)
{
    public async Task<CallPageJson> ListAsync(long workspaceId, CallListQuery query, CallPosition? after, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("calls.list");
        var page = after is null ? query.Page : (int?)null;
        await using var connection = await database.OpenAsync(cancellationToken);
        var agentIds = await AgentStore.MatchingIdsAsync(connection, workspaceId, query.Conditions.AgentId, cancellationToken);
        if (CallFilter.For(workspaceId, query.Conditions, agentIds) is not { } filter)
        {
            using var empty = new CallPageWriter(0, page, query.Limit);
            return empty.Finish(null);
        }
        var offset = after is null ? query.Offset : 0;
        CallCount count;
        StoreRows? rows = null;
        try
        {
            if (offset == 0)
            {
                // The first page, or the page after a cursor, always needs both: one statement for both where the store allows.
                (count, rows) = await database.OpenRowsAfterAsync(connection,
                    CallListSql.CountQuery(filter, database), CallCount.ReadAsync,
                    CallListSql.PageQuery(filter, query.Sort, after, 0, Take(query), database), cancellationToken);
            }
            else
            {
                // Further in, the page is read only when the count says it exists: reading past the end walks the whole range.
                count = await CallCount.QueryAsync(connection, CallListSql.CountQuery(filter, database), cancellationToken);
                if (offset < count.Calls)
                {
                    rows = await OpenPageFurtherInAsync(connection, workspaceId, filter, query, offset, count.Version, cancellationToken);
                }
            }
            using var writer = new CallPageWriter(count.Calls, page, query.Limit);
            var end = rows is null ? null : await writer.WriteCallsAsync(rows, query.Sort, cancellationToken);
            if (end is not { } last)
            {
                return writer.Finish(null);
            }
            if (after is null && count.Version is { } version)
            {
                starts.Remember(workspaceId, query, offset + query.Limit, version, last);
            }
            return writer.Finish(cursors.Encode(last, workspaceId, query));
        }
        finally
        {
            if (rows is not null)
            {
                await rows.DisposeAsync();
            }
        }
    }

    /// <summary>One row more than the page shows tells whether there is a next page.</summary>
    private static int Take(CallListQuery query) => query.Limit + 1;

    /// <summary>
    /// A page at <paramref name="offset"/> &gt; 0: from its remembered start (<see cref="PageStarts"/>), like
    /// a cursor's page, when the filter's calls have not changed since (<paramref name="version"/>);
    /// otherwise by skipping offset - 1 calls, and the one before the page is remembered as its start.
    /// Filters counted without the tallies have no version, and skip every time.
    /// </summary>
    private async Task<StoreRows> OpenPageFurtherInAsync(
        DbConnection connection, long workspaceId, CallFilter filter, CallListQuery query, long offset, long? version, CancellationToken cancellationToken)
    {
        if (version is not { } current)
        {
            var (sql, parameters) = CallListSql.PageQuery(filter, query.Sort, null, offset, Take(query), database);
            return await database.OpenRowsAsync(connection, sql, parameters, cancellationToken);
        }
        if (starts.TryGet(workspaceId, query, offset, current, out var start))
        {
            var (sql, parameters) = CallListSql.PageQuery(filter, query.Sort, start, 0, Take(query), database);
            return await database.OpenRowsAsync(connection, sql, parameters, cancellationToken);
        }
        var (skipSql, skipParameters) = CallListSql.PageQuery(filter, query.Sort, null, offset - 1, Take(query) + 1, database);
        var rows = await database.OpenRowsAsync(connection, skipSql, skipParameters, cancellationToken);
        try
        {
            if (await rows.ReadAsync(cancellationToken))
            {
                starts.Remember(workspaceId, query, offset, current, CallPosition.Of(rows, query.Sort));
            }
            return rows;
        }
        catch
        {
            await rows.DisposeAsync();
            throw;
        }
    }
}
