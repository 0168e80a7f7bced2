using System.Text;
using CallLog.Storage;
using Dapper;

namespace CallLog.Calls.List;

/// <summary>
/// The filters of a list, count or export, as SQL with parameters. <c>AgentIds</c> are the agents that
/// exist among the ones the caller may have meant (at most two: "12345" and "assistant_12345");
/// <c>Statuses</c> and <c>Types</c> are null for "any".
/// </summary>
internal sealed record CallFilter(long WorkspaceId, IReadOnlyList<string>? AgentIds, IReadOnlyList<CallStatus>? Statuses, IReadOnlyList<CallType>? Types, CallConditions Conditions)
{
    public static readonly CallStatus[] AllStatuses = [CallStatus.Completed, CallStatus.Failed, CallStatus.InProgress, CallStatus.Queued, CallStatus.Canceled];
    public static readonly CallType[] AllTypes = [CallType.Inbound, CallType.Outbound];

    /// <summary>
    /// The filter for <paramref name="conditions"/>, with <paramref name="agentIds"/> the agents that exist
    /// among the ones its agent_id may mean (<see cref="Agents.AgentStore.MatchingIdsAsync"/>); null when
    /// agent_id names no agent of the workspace, so nothing can match.
    /// </summary>
    public static CallFilter? For(long workspaceId, CallConditions conditions, IReadOnlyList<string>? agentIds)
    {
        if (agentIds is { Count: 0 })
        {
            return null;
        }
        var statuses = conditions.Statuses is { } s && s.Count < AllStatuses.Length ? s : null;
        var types = conditions.Types is { Count: < 2 } t ? t : null;
        return new CallFilter(workspaceId, agentIds, statuses, types, conditions);
    }

    /// <summary>True when an agent, a time range, a phone number or a contact narrows the calls to those an index of their own finds.</summary>
    public bool Narrowed => AgentIds is not null || Conditions.StartedAfter is not null || Conditions.StartedBefore is not null ||
        Conditions.PhonePattern is not null || Conditions.ContactId is not null || Conditions.CampaignId is not null;

    /// <summary>
    /// True when the best way to read the filter depends on its values, not only on which filters are
    /// given: how wide a time range is, how long a phone prefix, what a search matches. A plan made
    /// without the values (a generic plan) can be far off for these: for a phone prefix it walks the whole
    /// time index.
    /// </summary>
    public bool PlanDependsOnValues => Conditions.StartedAfter is not null || Conditions.StartedBefore is not null ||
        Conditions.PhonePattern?.EndsWith('%') == true || Conditions.Search is not null;

    /// <summary>
    /// The WHERE clause over table alias <paramref name="alias"/>, its parameters named with
    /// <paramref name="prefix"/> so several clauses can share one command. With <paramref name="talliesOnly"/>,
    /// only the columns the tallies table has (agent, status, type). The phone filter's SQL is the
    /// <paramref name="database"/>'s (<see cref="Database.PhoneMatch"/>).
    /// </summary>
    public string Where(Database database, DynamicParameters parameters, string alias, string prefix = "", bool talliesOnly = false)
    {
        var sql = new StringBuilder($"{alias}.workspace_id = @{prefix}workspaceId");
        parameters.Add($"{prefix}workspaceId", WorkspaceId);
        In(sql, parameters, $"{alias}.agent_id", $"{prefix}agent", AgentIds);
        In(sql, parameters, $"{alias}.status", $"{prefix}status", Statuses?.Select(s => (int)s).ToList());
        In(sql, parameters, $"{alias}.type", $"{prefix}type", Types?.Select(t => (int)t).ToList());
        if (talliesOnly)
        {
            return sql.ToString();
        }
        var c = Conditions;
        if (c.StartedAfter is { } after)
        {
            sql.Append($" AND {alias}.started_at >= @{prefix}after");
            parameters.Add($"{prefix}after", after);
        }
        if (c.StartedBefore is { } before)
        {
            sql.Append($" AND {alias}.started_at < @{prefix}before");
            parameters.Add($"{prefix}before", before);
        }
        if (c.PhonePattern is { } phone)
        {
            sql.Append(" AND ").Append(PhoneCondition(database.PhoneMatch, $"{alias}.phone_number", $"{prefix}phone", phone, parameters));
        }
        if (c.ContactId is { } contact)
        {
            sql.Append($" AND {alias}.contact_id = @{prefix}contact");
            parameters.Add($"{prefix}contact", contact);
        }
        if (c.CampaignId is { } campaign)
        {
            sql.Append($" AND {alias}.campaign_id = @{prefix}campaign");
            parameters.Add($"{prefix}campaign", campaign);
        }
        if (c.Search is { } search)
        {
            // The contact subquery names the workspace by parameter, not by {alias}.workspace_id: uncorrelated,
            // both stores run it once and probe its result, where SQLite runs a correlated one per call.
            sql.Append(
                $"""
                 AND (lower({alias}.summary) LIKE @{prefix}q ESCAPE '\' OR {alias}.phone_number LIKE @{prefix}q ESCAPE '\'
                      OR {alias}.contact_id IN (SELECT k.id FROM contacts k WHERE k.workspace_id = @{prefix}workspaceId AND lower(k.name) LIKE @{prefix}q ESCAPE '\'))
                """);
            parameters.Add($"{prefix}q", Like.Contains(search));
        }
        return sql.ToString();
    }

    /// <summary>
    /// Both ways use the calls_by_phone index, which is NOCASE on SQLite and text_pattern_ops on PostgreSQL
    /// so that prefixes can use it under any locale. An exact number is an equality either way (which
    /// text_pattern_ops serves too), so PostgreSQL can keep one plan for it; LIKE would be planned with
    /// its value at every request. A prefix is '+' and digits, so the range ends at the prefix with its
    /// last character the next one.
    /// </summary>
    private static string PhoneCondition(PhoneMatch match, string column, string name, string pattern, DynamicParameters parameters)
    {
        if (!pattern.EndsWith('%'))
        {
            parameters.Add(name, pattern);
            return match == PhoneMatch.Like ? $"{column} = @{name}" : $"{column} COLLATE NOCASE = @{name}";
        }
        if (match == PhoneMatch.Like)
        {
            parameters.Add(name, pattern);
            return $"{column} LIKE @{name}";
        }
        var start = pattern[..^1];
        parameters.Add(name, start);
        parameters.Add($"{name}End", start[..^1] + (char)(start[^1] + 1));
        return $"{column} COLLATE NOCASE >= @{name} AND {column} COLLATE NOCASE < @{name}End";
    }

    private static void In<T>(StringBuilder sql, DynamicParameters parameters, string column, string name, IReadOnlyList<T>? values)
    {
        if (values is null)
        {
            return;
        }
        if (values.Count == 1)
        {
            sql.Append($" AND {column} = @{name}");
            parameters.Add(name, values[0]);
            return;
        }
        var names = values.Select((v, i) => { parameters.Add($"{name}{i}", v); return $"@{name}{i}"; });
        sql.Append($" AND {column} IN ({string.Join(", ", names)})");
    }

    /// <summary>
    /// Splits the filter into ranges that each read straight off one index in list order: one range per
    /// (agent, status, type) the filter allows, at most 2 x 5 x 2, merged by the query; each stops after
    /// the rows a page needs. No split when one index already serves the whole filter in order (no
    /// status or type filter with at most one agent), or when a phone number, contact or campaign narrows the
    /// calls to a few that their own index finds.
    /// </summary>
    public IEnumerable<CallFilter> Branches()
    {
        if ((Statuses is null && Types is null && (AgentIds is null || AgentIds.Count == 1)) ||
            Conditions.PhonePattern is not null || Conditions.ContactId is not null || Conditions.CampaignId is not null)
        {
            yield return this;
            yield break;
        }
        foreach (var agent in AgentIds?.Select(a => (IReadOnlyList<string>?)[a]) ?? [null])
        {
            foreach (var status in Statuses ?? AllStatuses)
            {
                foreach (var type in Types ?? AllTypes)
                {
                    yield return this with { AgentIds = agent, Statuses = [status], Types = [type] };
                }
            }
        }
    }
}
