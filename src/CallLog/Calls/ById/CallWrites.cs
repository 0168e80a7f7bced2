using System.Data.Common;
using System.Text.Json;
using CallLog.Agents;
using CallLog.Contacts;
using CallLog.Events;
using CallLog.Hosting;
using CallLog.Storage;
using Dapper;

namespace CallLog.Calls.ById;

internal enum WriteOutcome { Created, Replaced, Unchanged, Deleted, NotFound, PreconditionFailed, Invalid, Conflict }

/// <summary>A call as stored, with the version its ETag is made of.</summary>
internal sealed record StoredCall(CallDetail Detail, int Version);

/// <summary>What a write did; <c>Problem</c> says why an invalid or conflicting one was refused.</summary>
internal sealed record WriteResult(WriteOutcome Outcome, StoredCall? Call, string? Problem = null, bool LostRace = false);

/// <summary>What to write, decided from the stored call: a write, or the reason there is none.</summary>
internal sealed record WriteDecision(CallWrite? Write, WriteOutcome Failure, string? Problem)
{
    public static WriteDecision Store(CallWrite write) => new(write, default, null);

    public static WriteDecision Fail(WriteOutcome failure, string? problem = null) => new(null, failure, problem);
}

/// <summary>
/// Reads and writes one call by id. Every write is one transaction; a version per call makes
/// If-Match exact: an update only lands on the version it was decided against.
/// </summary>
internal sealed class CallWrites(Database database)
{
    private static readonly string SelectOne =
        $"""
        SELECT {CallColumns.Detail}
        FROM calls c {CallColumns.Joins}
        WHERE c.workspace_id = @workspaceId AND c.id = @id
        """;

    private static readonly string SelectMany =
        $"""
        SELECT {CallColumns.Detail}
        FROM calls c {CallColumns.Joins}
        WHERE c.workspace_id = @workspaceId AND c.id IN
        """;

    public async Task<StoredCall?> GetAsync(long workspaceId, string id, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("calls.get");
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, null, workspaceId, id, cancellationToken);
    }

    private static void Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>One call inside the caller's transaction (null: outside any).</summary>
    internal static Task<StoredCall?> ReadAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, string id, CancellationToken cancellationToken) =>
        GetAsync(connection, transaction, workspaceId, id, cancellationToken);

    /// <summary>Several calls of a workspace in one query, by id (those that exist; at most a page's worth).</summary>
    internal static async Task<Dictionary<string, StoredCall>> ReadManyAsync(DbConnection connection, DbTransaction? transaction, long workspaceId,
        string[] ids, CancellationToken cancellationToken)
    {
        // A command of its own, disposed here, as in GetAsync.
        await using var command = connection.CreateCommand();
        command.CommandText = $"{SelectMany} ({string.Join(", ", ids.Select((_, i) => $"@id{i}"))})";
        command.Transaction = transaction;
        Parameter(command, "@workspaceId", workspaceId);
        for (var i = 0; i < ids.Length; i++)
        {
            Parameter(command, $"@id{i}", ids[i]);
        }
        var found = new Dictionary<string, StoredCall>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var stored = Stored(reader);
            found[stored.Detail.Id] = stored;
        }
        return found;
    }

    private static StoredCall Stored(DbDataReader reader)
    {
        var call = CallColumns.Read(reader);
        var transcript = reader.IsDBNull(CallColumns.Transcript) ? null : reader.GetString(CallColumns.Transcript);
        var metadata = reader.IsDBNull(CallColumns.Metadata) ? null : reader.GetString(CallColumns.Metadata);
        var variables = reader.IsDBNull(CallColumns.Variables) ? null : reader.GetString(CallColumns.Variables);
        return new StoredCall(CallDetail.From(call, transcript, metadata, variables), reader.GetInt32(CallColumns.Version));
    }

    private static async Task<StoredCall?> GetAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, string id, CancellationToken cancellationToken, string lockRows = "")
    {
        // A command of its own, disposed here: Dapper's ExecuteReaderAsync leaves its command undisposed, which on
        // SQLite holds a compiled statement until the connection goes back (many, in import --events' one transaction).
        await using var command = connection.CreateCommand();
        command.CommandText = $"{SelectOne} {lockRows}";
        command.Transaction = transaction;
        Parameter(command, "@workspaceId", workspaceId);
        Parameter(command, "@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Stored(reader) : null;
    }

    /// <summary>Creates or replaces a call. Writing what is already stored changes nothing, not even the version.</summary>
    public Task<WriteResult> PutAsync(long workspaceId, CallWrite write, int? ifMatch, CancellationToken cancellationToken) =>
        WriteAsync(workspaceId, write.Call.Id, ifMatch, _ => WriteDecision.Store(write), cancellationToken);

    /// <summary>Applies a JSON Merge Patch to a stored call under the lifecycle rules (<see cref="CallPatch"/>).</summary>
    public Task<WriteResult> PatchAsync(long workspaceId, string id, JsonElement patch, int? ifMatch, CancellationToken cancellationToken) =>
        WriteAsync(workspaceId, id, ifMatch, current => current is null ? WriteDecision.Fail(WriteOutcome.NotFound) : CallPatch.Apply(current, patch, id), cancellationToken);

    /// <summary>
    /// Reads the call, decides what to write from it, and writes only if it is still the version decided
    /// against. Without If-Match the last writer wins: a write that lost a race to another (PostgreSQL,
    /// READ COMMITTED) is decided again against what is now stored.
    /// </summary>
    private async Task<WriteResult> WriteAsync(long workspaceId, string id, int? ifMatch, Func<StoredCall?, WriteDecision> decide, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await TryWriteAsync(workspaceId, id, ifMatch, decide, cancellationToken);
            if (!result.LostRace || ifMatch is not null || attempt == 5)
            {
                return result;
            }
        }
    }

    private async Task<WriteResult> TryWriteAsync(long workspaceId, string id, int? ifMatch, Func<StoredCall?, WriteDecision> decide, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("calls.write");
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (result, events) = await WriteInAsync(connection, transaction, workspaceId, id, ifMatch, decide, cancellationToken);
        if (result.Outcome is WriteOutcome.Created or WriteOutcome.Replaced)
        {
            await EventLog.AppendAsync(connection, transaction, workspaceId, events, cancellationToken);
            await EventLog.CommitAsync(transaction, cancellationToken);
        }
        return result;
    }

    /// <summary>
    /// One call's write inside the caller's transaction (a request's own, or <c>import --events</c>'s), and
    /// the events it makes, for the caller to append before it commits.
    /// </summary>
    internal async Task<(WriteResult Result, List<NewEvent> Events)> WriteInAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, string id, int? ifMatch, Func<StoredCall?, WriteDecision> decide, CancellationToken cancellationToken)
    {
        var current = await GetAsync(connection, transaction, workspaceId, id, cancellationToken, database.LockRows);
        var decision = decide(current);
        if (decision.Failure == WriteOutcome.NotFound)
        {
            return (new WriteResult(WriteOutcome.NotFound, null), []);
        }
        // If-Match names a version; a call that does not exist has none, so nothing matches it.
        if (ifMatch is { } expected && (current is null || (current.Version != expected && expected != AnyVersion)))
        {
            return (new WriteResult(WriteOutcome.PreconditionFailed, current), []);
        }
        if (decision.Write is not { } write)
        {
            return (new WriteResult(decision.Failure, current, decision.Problem), []);
        }
        // What the write leaves unstated about the agent and contact stays as stored, so it changes nothing.
        var c = current is { Detail: var d } ? write.Call.WithUnstatedFrom(d.AgentId, d.AgentName, d.Contact) : write.Call;
        if (current is not null && current.Detail.Same(CallDetail.From(c, write.Transcript, write.Metadata) with { Variables = current.Detail.Variables }))
        {
            return (new WriteResult(WriteOutcome.Unchanged, current), []);
        }

        var agentChanged = await connection.ExecuteAsync(new CommandDefinition(CallSql.UpsertAgent,
            new { w = workspaceId, id = c.AgentId, name = c.AgentName, setName = c.Stated.HasFlag(SharedFields.AgentName) },
            transaction, cancellationToken: cancellationToken));
        var contactChanged = 0;
        if (c.Contact is { } k)
        {
            contactChanged = await connection.ExecuteAsync(new CommandDefinition(CallSql.UpsertContact,
                new
                {
                    w = workspaceId,
                    id = k.Id,
                    name = k.Name,
                    email = k.Email,
                    company = k.Company,
                    setName = c.Stated.HasFlag(SharedFields.ContactName),
                    setEmail = c.Stated.HasFlag(SharedFields.ContactEmail),
                    setCompany = c.Stated.HasFlag(SharedFields.ContactCompany),
                }, transaction, cancellationToken: cancellationToken));
        }
        var row = new
        {
            workspaceId,
            id = c.Id,
            agent = c.AgentId,
            status = (int)c.Status,
            type = (int)c.Type,
            phone = c.PhoneNumber,
            started = c.StartedAt.ToUnixTimeSeconds(),
            ended = c.EndedAt?.ToUnixTimeSeconds(),
            duration = c.DurationSeconds,
            summary = c.Summary,
            recording = c.RecordingUrl,
            contact = c.Contact?.Id,
            transcript = write.Transcript,
            metadata = write.Metadata,
            version = current?.Version ?? 0,
        };
        var written = current is null
            ? await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO calls (workspace_id, id, agent_id, status, type, phone_number, started_at, ended_at, duration_seconds,
                                   summary, recording_url, contact_id, transcript, metadata, version)
                VALUES (@workspaceId, @id, @agent, @status, @type, @phone, @started, @ended, @duration,
                        @summary, @recording, @contact, @transcript, @metadata, 1)
                ON CONFLICT (workspace_id, id) DO NOTHING
                """, row, transaction, cancellationToken: cancellationToken))
            : await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE calls SET agent_id = @agent, status = @status, type = @type, phone_number = @phone, started_at = @started,
                    ended_at = @ended, duration_seconds = @duration, summary = @summary, recording_url = @recording,
                    contact_id = @contact, transcript = @transcript, metadata = @metadata, version = version + 1
                WHERE workspace_id = @workspaceId AND id = @id AND version = @version
                """, row, transaction, cancellationToken: cancellationToken));
        if (written == 0)
        {
            // Another writer got there between our read and our write.
            return (new WriteResult(WriteOutcome.PreconditionFailed, current, LostRace: true), []);
        }
        if (current?.Detail.Status == CallStatus.Queued && c.Status != CallStatus.Queued)
        {
            // Dialed, ended, canceled or given up: the call leaves the dial queue (and its lease ends).
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM dial_queue WHERE workspace_id = @workspaceId AND call_id = @id", new { workspaceId, id = c.Id }, transaction, cancellationToken: cancellationToken));
        }
        var stored = (await GetAsync(connection, transaction, workspaceId, c.Id, cancellationToken))!;
        List<NewEvent> events = [.. CallEvents.For(current?.Detail, stored.Detail).Select(type => NewEvent.Call(type, stored.Detail))];
        if (agentChanged > 0 && await AgentStore.GetAsync(connection, transaction, workspaceId, c.AgentId, cancellationToken) is { } agent)
        {
            events.Add(NewEvent.Agent(agent));
        }
        if (contactChanged > 0 && await ContactStore.GetAsync(connection, transaction, workspaceId, c.Contact!.Id, cancellationToken) is { } contact)
        {
            events.Add(NewEvent.Contact(contact));
        }
        return (new WriteResult(current is null ? WriteOutcome.Created : WriteOutcome.Replaced, stored), events);
    }

    public async Task<WriteOutcome> DeleteAsync(long workspaceId, string id, int? ifMatch, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("calls.delete");
        await using var connection = await database.OpenAsync(cancellationToken);
        // A transaction of its own, so that it queues with the other writes (SqliteLease) rather than meet them at SQLite's lock.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM calls WHERE workspace_id = @workspaceId AND id = @id AND (@version IS NULL OR version = @version)",
            new { workspaceId, id, version = ifMatch is AnyVersion ? null : ifMatch }, transaction, cancellationToken: cancellationToken));
        if (deleted == 1)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM dial_queue WHERE workspace_id = @workspaceId AND call_id = @id", new { workspaceId, id }, transaction, cancellationToken: cancellationToken));
            await EventLog.AppendAsync(connection, transaction, workspaceId, [NewEvent.Deleted(id)], cancellationToken);
        }
        await EventLog.CommitAsync(transaction, cancellationToken);
        if (deleted == 1)
        {
            return WriteOutcome.Deleted;
        }
        // Without If-Match nothing can fail the delete: a call that a racing PUT creates after the DELETE
        // ran is a call the DELETE never saw. Only a version to match needs the second look.
        if (ifMatch is null)
        {
            return WriteOutcome.NotFound;
        }
        return await GetAsync(connection, null, workspaceId, id, cancellationToken) is null ? WriteOutcome.NotFound : WriteOutcome.PreconditionFailed;
    }

    /// <summary>If-Match: * (any current version).</summary>
    public const int AnyVersion = -1;

}
