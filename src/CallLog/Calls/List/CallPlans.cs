using System.Text;
using CallLog.Agents;
using CallLog.Storage;
using CallLog.Workspaces;
using Dapper;

namespace CallLog.Calls.List;

/// <summary>The store's own account of how it reads a list request: the plans (or the statements) `calllog explain` prints.</summary>
internal static class CallPlans
{
    public static async Task<IReadOnlyList<(string Title, string Plan)>> ExplainAsync(
        Database database, string workspace, CallListQuery query, bool keyset, bool analyze, bool statements, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var workspaceId = await WorkspaceStore.FindAsync(connection, workspace, cancellationToken) ?? 0;
        var agentIds = await AgentStore.MatchingIdsAsync(connection, workspaceId, query.Conditions.AgentId, cancellationToken);
        // An agent that does not exist yet still gets the plan its filter would have.
        var filter = CallFilter.For(workspaceId, query.Conditions, agentIds is { Count: 0 } ? [query.Conditions.AgentId!] : agentIds)!;
        // A keyset plan does not depend on where the cursor points; the newest possible position is as good as any.
        CallPosition? after = keyset ? new CallPosition(query.Sort.Descending() ? long.MaxValue : long.MinValue, "") : null;
        var prefix = database.ExplainPrefix(analyze);

        var plans = new List<(string, string)>();
        foreach (var (title, (sql, parameters)) in new[]
        {
            ("count", CallListSql.CountQuery(filter, database)),
            (keyset ? $"page after a cursor, limit {query.Limit}" : $"page {query.Page}, limit {query.Limit}",
                CallListSql.PageQuery(filter, query.Sort, after, keyset ? 0 : query.Offset, query.Limit + 1, database)),
        })
        {
            if (statements)
            {
                // Each parameter's value in a comment line of its own, then the statement as the store runs it.
                var values = parameters.ParameterNames.Select(name => $"-- @{name} = {Literal(parameters.Get<object?>(name))}");
                plans.Add((title, string.Join('\n', [.. values, sql.Trim() + ";"])));
                continue;
            }
            // EXPLAIN ANALYZE runs the query: a search over millions of calls may take longer than the default 30 s.
            var rows = await connection.QueryAsync(new CommandDefinition(prefix + sql, parameters, commandTimeout: analyze ? 0 : null, cancellationToken: cancellationToken));
            var plan = new StringBuilder();
            foreach (IDictionary<string, object?> row in rows)
            {
                // SQLite: (id, parent, notused, detail); PostgreSQL: one "QUERY PLAN" column.
                plan.AppendLine(row.TryGetValue("detail", out var detail) ? $"{row["parent"]}/{row["id"]} {detail}" : $"{row.Values.First()}");
            }
            plans.Add((title, plan.ToString().TrimEnd()));
        }
        return plans;
    }

    private static string Literal(object? value) => value switch
    {
        null => "NULL",
        string text => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "NULL",
    };
}
