using System.Globalization;
using CallLog.Storage;
using Dapper;

namespace CallLog.Calls.List;

/// <summary>The SQL of a list: its count and its page, newest first unless the sort says otherwise, ties broken by id.</summary>
internal static class CallListSql
{
    /// <summary>
    /// A page's columns (<see cref="CallColumns"/>) with the agent's name looked up per call rather than
    /// joined: one join fewer for PostgreSQL to order when it plans a page further in, which it does at
    /// every request.
    /// </summary>
    private static readonly string PageColumns = CallColumns.Select("(SELECT a.name FROM agents a WHERE a.workspace_id = c.workspace_id AND a.id = c.agent_id)");

    /// <summary>The list's default order, for reads that are not paged (export).</summary>
    public const string Order = "ORDER BY c.started_at DESC, c.id DESC";

    /// <summary>
    /// Exact. From the tallies (at most agents x 6 rows) for Klen's filters, with their version (the sum of
    /// their changes); otherwise counted over the filter's index range, without a version.
    /// </summary>
    public static (string Sql, DynamicParameters Parameters) CountQuery(CallFilter filter, Database database)
    {
        var parameters = new DynamicParameters();
        return filter.Conditions.TalliesSuffice
            ? ($"SELECT COALESCE(SUM(t.calls), 0), COALESCE(SUM(t.changes), 0) FROM call_tallies t WHERE {filter.Where(database, parameters, "t", talliesOnly: true)}", parameters)
            : ($"SELECT COUNT(*), NULL FROM calls c WHERE {filter.Where(database, parameters, "c")}", parameters);
    }

    /// <summary>
    /// Each range (<see cref="CallFilter.Branches"/>) reads its index in list order and stops after
    /// offset + take rows; the outer query merges the already ordered ranges, keeps one page, and only
    /// then joins the page's few rows. A filter one index serves in order is one range, with nothing to
    /// merge. Where the store has a row id (<see cref="Database.RowId"/>), the ranges carry it and the
    /// page's rows are fetched by it.
    /// <para>The page's size is a literal and OFFSET a parameter that appears only further in: SQLite
    /// recompiles a statement whose LIMIT is bound at every run (it plans with the value), and PostgreSQL
    /// can keep one generic plan for a first page or a cursor's page. A page has at most 101 rows, so at
    /// most 101 texts per filter shape. On a store that settles on generic plans
    /// (<see cref="Database.SettlesOnGenericPlans"/>), a filter whose best plan depends on its values
    /// (<see cref="CallFilter.PlanDependsOnValues"/>) keeps LIMIT a parameter, so it is planned with its
    /// values every time. Why each choice: docs/storage.md.</para>
    /// </summary>
    public static (string Sql, DynamicParameters Parameters) PageQuery(CallFilter filter, CallSort sort, CallPosition? after, long offset, int take, Database database)
    {
        var rowId = database.RowId(skips: offset > 0);
        var parameters = new DynamicParameters();
        var limit = take.ToString(CultureInfo.InvariantCulture);
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
            // Each range stops after offset + take rows; a sum, not a parameter alone, so SQLite does not plan with its value.
            var rangeLimit = offset > 0 ? $"{limit} + @offset" : limit;
            var ranges = branches.Select((branch, i) => $"SELECT * FROM ({Range(branch, i, rangeLimit)}) r{i}");
            ids = $"""
                {string.Join("\n    UNION ALL ", ranges)}
                    ORDER BY k {direction}, id {direction} LIMIT {limit}{offsetClause}
                """;
        }
        // The outer ORDER BY names the page's columns, not the calls table's: ordering by c.started_at
        // tempts SQLite to walk all of calls in index order and probe the page.
        var sql =
            $"""
            WITH page AS (
                {ids}
            )
            SELECT {PageColumns}
            FROM page p
            JOIN calls c ON {(pinWorkspace ? "c.workspace_id = @pageWorkspaceId AND " : "")}{(rowId is null ? "c.id = p.id" : $"c.{rowId} = p.rid")}
            {CallColumns.ContactJoin}
            ORDER BY p.k {direction}, p.id {direction}
            """;
        return (sql, parameters);
    }
}
