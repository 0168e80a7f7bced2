using System.Data.Common;
using CallLog.Hosting;
using CallLog.Storage;
using Dapper;

namespace CallLog.Calls;

/// <summary>Reads calls for the list endpoint and for export, newest first, ties broken by id.</summary>
internal sealed class CallQueries(Database database, CursorCodec cursors, PageAnchors anchors)
{
    /// <summary>A call's columns, in the order <see cref="ReadCall"/> and <see cref="CallPageWriter"/> read them, with the agent's name as <paramref name="agentName"/>.</summary>
    private static string ColumnsWith(string agentName) =>
        $"""
        c.id, c.agent_id, {agentName}, c.status, c.type, c.phone_number, c.started_at, c.ended_at,
        c.duration_seconds, c.summary, c.recording_url, c.contact_id, ct.name, ct.email, ct.company
        """;

    private const string ContactJoin = "LEFT JOIN contacts ct ON ct.workspace_id = c.workspace_id AND ct.id = c.contact_id";

    /// <summary>With <see cref="Joins"/>: for reads of many calls (export), where a join beats a lookup per call.</summary>
    internal static readonly string Columns = ColumnsWith("a.name");

    internal const string Joins = "JOIN agents a ON a.workspace_id = c.workspace_id AND a.id = c.agent_id\n" + ContactJoin;

    /// <summary>
    /// For a page: the agent's name by a lookup per call instead of a join. PostgreSQL plans a page
    /// further in afresh at every request (see <see cref="PageQuery"/>), and one join fewer to order cut
    /// that planning from 1.1 to 0.25 ms.
    /// </summary>
    private static readonly string PageColumns = ColumnsWith("(SELECT a.name FROM agents a WHERE a.workspace_id = c.workspace_id AND a.id = c.agent_id)");

    internal const string Order = "ORDER BY c.started_at DESC, c.id DESC";

    /// <summary>
    /// A page by number (offset) or after a cursor (keyset), written as the response's JSON straight from
    /// the store's rows (<see cref="CallPageWriter"/>); the count comes from the tallies when it can. A page
    /// by number remembers where the next one starts (<see cref="PageAnchors"/>).
    /// </summary>
    public async Task<CallPageJson> ListAsync(long workspaceId, CallListQuery query, CallPosition? after, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("calls.list");
        var page = after is null ? query.Page : (int?)null;
        CallPosition? next = null;
        string Cursor(CallPosition last)
        {
            next = last;
            return cursors.Encode(last, workspaceId, query);
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        if (await CallFilter.ResolveAsync(connection, workspaceId, query.Conditions, cancellationToken) is not { } filter)
        {
            return await CallPageWriter.WriteAsync(0, page, query.Limit, null, query.Sort, Cursor, cancellationToken);
        }
        var offset = after is null ? query.Offset : 0;
        // One row more than the page shows tells whether there is a next page.
        var take = query.Limit + 1;
        CallCount count;
        CallRows? rows = null;
        try
        {
            if (offset == 0)
            {
                (count, rows) = await CountAndPageAsync(connection, filter, query.Sort, after, take, cancellationToken);
            }
            else
            {
                count = await CountAsync(connection, filter, cancellationToken);
                if (offset < count.Calls)
                {
                    rows = await OpenPageFurtherInAsync(connection, workspaceId, filter, query, offset, count.Version, cancellationToken);
                }
            }
            var json = await CallPageWriter.WriteAsync(count.Calls, page, query.Limit, rows, query.Sort, Cursor, cancellationToken);
            if (after is null && next is { } nextStart && count.Version is { } version)
            {
                anchors.Remember(workspaceId, query, offset + query.Limit, version, nextStart);
            }
            return json;
        }
        finally
        {
            if (rows is not null)
            {
                await rows.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// A page at <paramref name="offset"/> &gt; 0: from its remembered start, like a cursor's page, when the
    /// filter's calls have not changed since it was remembered (<paramref name="version"/>); otherwise by
    /// skipping offset - 1 calls, and the one before the page is remembered as its start. Filters counted
    /// without the tallies have no version, and skip every time.
    /// </summary>
    private async Task<CallRows> OpenPageFurtherInAsync(
        DbConnection connection, long workspaceId, CallFilter filter, CallListQuery query, long offset, long? version, CancellationToken cancellationToken)
    {
        var take = query.Limit + 1;
        if (version is not { } current)
        {
            var (sql, parameters) = PageQuery(filter, query.Sort, null, offset, take, database);
            return await CallRows.OpenAsync(connection, sql, parameters, cancellationToken);
        }
        if (anchors.TryGet(workspaceId, query, offset, current, out var start))
        {
            var (sql, parameters) = PageQuery(filter, query.Sort, start, 0, take, database);
            return await CallRows.OpenAsync(connection, sql, parameters, cancellationToken);
        }
        var (skipSql, skipParameters) = PageQuery(filter, query.Sort, null, offset - 1, take + 1, database);
        var rows = await CallRows.OpenAsync(connection, skipSql, skipParameters, cancellationToken);
        try
        {
            if (await rows.ReadAsync(cancellationToken))
            {
                anchors.Remember(workspaceId, query, offset, current, rows.Position(query.Sort));
            }
            return rows;
        }
        catch
        {
            await rows.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Exact. From the tallies (at most agents x 6 rows) for the seed's filters, with their version (the
    /// sum of their changes); otherwise counted over the filter's index range, without a version.
    /// </summary>
    private Task<CallCount> CountAsync(DbConnection connection, CallFilter filter, CancellationToken cancellationToken) =>
        CallCount.QueryAsync(connection, CountQuery(filter, database), cancellationToken);

    internal static (string Sql, DynamicParameters Parameters) CountQuery(CallFilter filter, Database database)
    {
        var parameters = new DynamicParameters();
        return filter.Conditions.TalliesSuffice
            ? ($"SELECT COALESCE(SUM(t.calls), 0), COALESCE(SUM(t.changes), 0) FROM call_tallies t WHERE {filter.Where(database, parameters, "t", talliesOnly: true)}", parameters)
            : ($"SELECT COUNT(*), NULL FROM calls c WHERE {filter.Where(database, parameters, "c")}", parameters);
    }

    /// <summary>
    /// The first page (or the page after a cursor) always needs both the count and the page
    /// (<see cref="CallRows.OpenCountedAsync"/>). A page further in is read only when the count says it
    /// exists, since reading past the end would walk the whole range.
    /// </summary>
    private Task<(CallCount Count, CallRows Rows)> CountAndPageAsync(
        DbConnection connection, CallFilter filter, CallSort sort, CallPosition? after, int take, CancellationToken cancellationToken)
    {
        var count = CountQuery(filter, database);
        var page = PageQuery(filter, sort, after, 0, take, database);
        return CallRows.OpenCountedAsync(connection, count, page, cancellationToken);
    }

    /// <summary>
    /// Each range reads its index in list order and stops after offset + take rows; the outer query
    /// merges the (already ordered) ranges, keeps one page, and only then joins the page's few rows.
    /// A filter that one index serves in order reads that range alone, with nothing to merge: the
    /// merge's extra pass over offset + take rows doubled a deep page (4.7 ms instead of 2.1 ms at
    /// offset 100k on SQLite). Where the store has a row id (<see cref="Database.RowId"/>), the ranges
    /// carry each call's row id and the page's rows are fetched by it.
    /// <para>The page's size is written into the SQL as a literal, and OFFSET appears only for a page further
    /// in, as a parameter: SQLite 3.53 recompiles a statement at every run whose LIMIT is a bound
    /// parameter (it peeks at the value while planning, so every new binding expires the statement:
    /// 44 instead of 10 us for the first page, and the recompiling threads contend for SQLite's
    /// allocator), and PostgreSQL can reuse one generic plan for a first page or a cursor's page instead
    /// of planning it at every request (a generic plan with LIMIT or OFFSET parameters must assume 10%
    /// of the rows are wanted, so PostgreSQL used to plan each one afresh). A page has at most 101 rows,
    /// so at most 101 texts per filter shape. The exception: on a store that settles on generic plans
    /// (<see cref="Database.SettlesOnGenericPlans"/>), a filter whose best plan depends on its values
    /// (<see cref="CallFilter.PlanDependsOnValues"/>) keeps LIMIT a parameter, so that it is planned with
    /// its values every time.</para>
    /// </summary>
    internal static (string Sql, DynamicParameters Parameters) PageQuery(CallFilter filter, CallSort sort, CallPosition? after, long offset, int take, Database database)
    {
        var rowId = database.RowId(skips: offset > 0);
        var parameters = new DynamicParameters();
        var limit = take.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (database.SettlesOnGenericPlans && filter.PlanDependsOnValues)
        {
            parameters.Add("take", take);
            limit = "@take";
        }
        var offsetClause = "";
        if (offset > 0)
        {
            parameters.Add("offset", offset);
            offsetClause = " OFFSET @offset";
        }
        var pinWorkspace = rowId is null || database.DistributesByWorkspace;
        if (pinWorkspace)
        {
            parameters.Add("pageWorkspaceId", filter.WorkspaceId);
        }
        var direction = sort.Descending() ? "DESC" : "ASC";
        var key = sort.Key(filter.Narrowed);
        var keyset = "";
        if (after is { } position)
        {
            keyset = $" AND ({key}, c.id) {(sort.Descending() ? "<" : ">")} (@afterKey, @afterId)";
            parameters.Add("afterKey", position.Key);
            parameters.Add("afterId", position.Id);
        }
        var branches = filter.Branches().ToList();
        string Range(CallFilter branch, int i, string stop) =>
            $"SELECT c.id, {key} AS k{(rowId is null ? "" : $", c.{rowId} AS rid")} FROM calls c WHERE {branch.Where(database, parameters, "c", $"b{i}_")}{keyset} ORDER BY {key} {direction}, c.id {direction} LIMIT {stop}";
        string ids;
        if (branches.Count == 1)
        {
            ids = Range(branches[0], 0, limit + offsetClause);
        }
        else
        {
            // Each range stops after offset + take rows; a sum, not a parameter alone, so SQLite does not peek at it.
            var rangeLimit = offset > 0 ? $"{limit} + @offset" : limit;
            var ranges = branches.Select((branch, i) => $"SELECT * FROM ({Range(branch, i, rangeLimit)}) r{i}");
            ids = $"""
                {string.Join("\n    UNION ALL ", ranges)}
                    ORDER BY k {direction}, id {direction} LIMIT {limit}{offsetClause}
                """;
        }
        // The outer ORDER BY names the page's columns, not the calls table's: ordering by c.started_at
        // tempts SQLite 3.53 to walk all of calls in index order and probe the page (measured: 337 ms
        // at 100k calls instead of 2 ms).
        var sql =
            $"""
            WITH page AS (
                {ids}
            )
            SELECT {PageColumns}
            FROM page p
            JOIN calls c ON {(pinWorkspace ? "c.workspace_id = @pageWorkspaceId AND " : "")}{(rowId is null ? "c.id = p.id" : $"c.{rowId} = p.rid")}
            {ContactJoin}
            ORDER BY p.k {direction}, p.id {direction}
            """;
        return (sql, parameters);
    }

    internal static Call ReadCall(DbDataReader r) => new(
        Id: r.GetString(0),
        AgentId: r.GetString(1),
        AgentName: r.IsDBNull(2) ? null : r.GetString(2),
        Status: (CallStatus)r.GetInt16(3),
        Type: (CallType)r.GetInt16(4),
        PhoneNumber: r.GetString(5),
        StartedAt: DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(6)),
        EndedAt: r.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(7)),
        DurationSeconds: r.IsDBNull(8) ? null : r.GetInt32(8),
        Summary: r.IsDBNull(9) ? null : r.GetString(9),
        RecordingUrl: r.IsDBNull(10) ? null : r.GetString(10),
        Contact: r.IsDBNull(11) ? null : new Contact(
            r.GetInt64(11),
            r.IsDBNull(12) ? null : r.GetString(12),
            r.IsDBNull(13) ? null : r.GetString(13),
            r.IsDBNull(14) ? null : r.GetString(14)));
}
