using System.Text;
using System.Text.Json;
using CallLog.Hosting;
using CallLog.Storage;
using Dapper;

namespace CallLog.Events;

/// <summary>Reads a workspace's events in order after a given one, by the primary key: any depth costs what the first page costs.</summary>
internal sealed class EventFeed(Database database)
{
    public async Task<EventPage> ReadAsync(long workspaceId, long afterSeq, string? after, IReadOnlyList<string>? types, int limit, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("events.list");
        var parameters = new DynamicParameters(new { workspaceId, afterSeq });
        var sql = new StringBuilder(
            """
            SELECT e.seq AS Seq, e.type AS Type, e.created_at AS CreatedAt, e.data AS Data, w.name AS Workspace
            FROM events e JOIN workspaces w ON w.id = e.workspace_id
            WHERE e.workspace_id = @workspaceId AND e.seq > @afterSeq
            """);
        if (types is not null)
        {
            sql.Append($" AND {EventTypes.Condition(types, "e.type", parameters)}");
        }
        // The limit as a literal: SQLite recompiles a statement whose LIMIT is a bound parameter at every run.
        sql.Append($" ORDER BY e.seq LIMIT {limit}");
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Seq, string Type, long CreatedAt, string Data, string Workspace)>(
            new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellationToken));
        var events = rows.Select(r => new Event(EventId.Format(workspaceId, r.Seq), r.Type, DateTimeOffset.FromUnixTimeSeconds(r.CreatedAt), r.Workspace,
            Data(r.Data))).ToList();
        return new EventPage(events, events.Count > 0 ? events[^1].Id : after);
    }

    /// <summary>The stored data as an element that outlives its document, whose pooled buffers go back at once.</summary>
    private static JsonElement Data(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
