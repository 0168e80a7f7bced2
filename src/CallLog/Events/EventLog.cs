using System.Data.Common;
using System.Text.Json;
using CallLog.Agents;
using CallLog.Calls;
using CallLog.Contacts;
using Dapper;

namespace CallLog.Events;

/// <summary>An event to write: its type and its <c>data</c> object as JSON text.</summary>
internal readonly record struct NewEvent(string Type, string Data)
{
    /// <summary><c>{"call": ...}</c>: the call as GET /api/v1/calls/{id} shows it at this moment.</summary>
    public static NewEvent Call(string type, CallDetail call) =>
        new(type, $$"""{"call":{{JsonSerializer.Serialize(call, CallLogJson.Wire.CallDetail)}}}""");

    /// <summary><c>{"call": {"id": ...}}</c>: a deleted call is only its id.</summary>
    public static NewEvent Deleted(string callId) =>
        new(EventTypes.CallDeleted, $$$"""{"call":{"id":{{{JsonSerializer.Serialize(callId, CallLogJson.Wire.String)}}}}}""");

    public static NewEvent Agent(Agent agent) =>
        new(EventTypes.AgentUpdated, $$"""{"agent":{{JsonSerializer.Serialize(agent, CallLogJson.Wire.Agent)}}}""");

    public static NewEvent Contact(ContactDetail contact) =>
        new(EventTypes.ContactUpdated, $$"""{"contact":{{JsonSerializer.Serialize(contact, CallLogJson.Wire.ContactDetail)}}}""");
}

/// <summary>
/// The event log, an outbox: events are written by the transaction that makes the change, so a change
/// that rolls back leaves none and no committed change is without its events. Each workspace numbers
/// its events from its row in event_counters, taken last, just before commit: on PostgreSQL that row's
/// lock then orders the workspace's commits, so numbers commit in order and a reader that has seen
/// number N will never later find a smaller one appear (SQLite has one writer at a time anyway).
/// </summary>
internal static class EventLog
{
    public static async Task AppendAsync(DbConnection connection, DbTransaction transaction, long workspaceId, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }
        var last = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO event_counters (workspace_id, last_seq) VALUES (@workspaceId, @count)
            ON CONFLICT (workspace_id) DO UPDATE SET last_seq = event_counters.last_seq + @count
            RETURNING last_seq
            """, new { workspaceId, count = (long)events.Count }, transaction, cancellationToken: cancellationToken));
        var createdAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var first = last - events.Count + 1;
        // One statement for all of the write's events.
        var parameters = new DynamicParameters(new { workspaceId, createdAt });
        var rows = events.Select((e, i) =>
        {
            parameters.Add($"seq{i}", first + i);
            parameters.Add($"type{i}", e.Type);
            parameters.Add($"data{i}", e.Data);
            return $"(@workspaceId, @seq{i}, @type{i}, @createdAt, @data{i})";
        });
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO events (workspace_id, seq, type, created_at, data) VALUES {string.Join(", ", rows)}",
            parameters, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Commits a write that appended events, and tells this node's dispatcher they are there.</summary>
    public static async Task CommitAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        await transaction.CommitAsync(cancellationToken);
        EventSignal.Pulse();
    }
}
