using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using CallLog.Calls;
using CallLog.Calls.ById;
using CallLog.Events;
using CallLog.Hosting;
using CallLog.Storage;
using Dapper;

namespace CallLog.Dialing;

internal enum PlaceOutcome { Placed, Replayed, IdempotencyConflict, UnknownAgent, DoNotCall, BudgetSpent }

/// <summary>What placing did: the response to send (the first one again for a replay), or why nothing was placed.</summary>
internal sealed record PlaceResult(PlaceOutcome Outcome, string? Response = null, long? Budget = null);

/// <summary>
/// Places calls: one transaction checks the agent, the do-not-call list and the key's daily budget,
/// writes the queued call, its dial-queue row and its <c>call.queued</c> event, and keeps the response
/// under the Idempotency-Key. A refusal rolls all of it back, so it places nothing and spends nothing.
/// </summary>
internal sealed class CallPlacer(Database database, CallWrites calls)
{
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>How long an Idempotency-Key answers with its first response.</summary>
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);

    public async Task<PlaceResult> PlaceAsync(long workspaceId, string keyId, Placement placement, string? idempotencyKey, string requestHash, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("calls.place");
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        if (idempotencyKey is not null && await ClaimKeyAsync(connection, transaction, workspaceId, idempotencyKey, requestHash, now, cancellationToken) is { } earlier)
        {
            return earlier;
        }
        var agentName = await connection.QuerySingleOrDefaultAsync<AgentRow>(new CommandDefinition(
            "SELECT name AS Name FROM agents WHERE workspace_id = @workspaceId AND id = @agentId",
            new { workspaceId, agentId = placement.AgentId }, transaction, cancellationToken: cancellationToken));
        if (agentName is null)
        {
            return new PlaceResult(PlaceOutcome.UnknownAgent);
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM do_not_call WHERE workspace_id = @workspaceId AND phone_number = @phone",
                new { workspaceId, phone = placement.PhoneNumber }, transaction, cancellationToken: cancellationToken)) > 0)
        {
            return new PlaceResult(PlaceOutcome.DoNotCall);
        }
        if (await SpendAsync(connection, transaction, keyId, now, cancellationToken) is { } budget)
        {
            return new PlaceResult(PlaceOutcome.BudgetSpent, Budget: budget);
        }

        var events = new List<NewEvent>();
        if (placement.ContactId is { } contactId)
        {
            // A contact named only by id is created bare, as a call PUT with {"contact": {"id": ...}} does.
            if (await connection.ExecuteAsync(new CommandDefinition(CallSql.UpsertContact,
                    new { w = workspaceId, id = contactId, name = (string?)null, email = (string?)null, company = (string?)null, setName = false, setEmail = false, setCompany = false },
                    transaction, cancellationToken: cancellationToken)) > 0
                && await Contacts.ContactStore.GetAsync(connection, transaction, workspaceId, contactId, cancellationToken) is { } contact)
            {
                events.Add(NewEvent.Contact(contact));
            }
        }
        var id = "call_" + RandomNumberGenerator.GetString(IdAlphabet, 16);
        var start = Math.Max(placement.ScheduledAt ?? 0, now.ToUnixTimeMilliseconds());
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO calls (workspace_id, id, agent_id, status, type, phone_number, started_at, contact_id, metadata, variables, version)
            VALUES (@workspaceId, @id, @agentId, @status, @type, @phone, @started, @contactId, @metadata, @variables, 1)
            """,
            new
            {
                workspaceId,
                id,
                agentId = placement.AgentId,
                status = (int)CallStatus.Queued,
                type = (int)CallType.Outbound,
                phone = placement.PhoneNumber,
                started = start / 1000,
                contactId = placement.ContactId,
                metadata = placement.Metadata,
                variables = placement.Variables,
            }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO dial_queue (workspace_id, call_id, agent_id, from_number, due_at, expires_at, lease_until, attempts)
            VALUES (@workspaceId, @id, @agentId, @from, @due, @expires, NULL, 0)
            """,
            new { workspaceId, id, agentId = placement.AgentId, from = placement.FromNumber, due = start, expires = placement.ExpiresAt },
            transaction, cancellationToken: cancellationToken));
        var stored = (await CallWrites.ReadAsync(connection, transaction, workspaceId, id, cancellationToken))!;
        events.Insert(0, NewEvent.Call(EventTypes.CallQueued, stored.Detail));
        var response = JsonSerializer.Serialize(new PlacedCall(id, id, "queued", "outbound", new PlacedCallAgent(placement.AgentId, agentName.Name),
            DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()), DateTimeOffset.FromUnixTimeSeconds(start / 1000)), CallLogJson.Wire.PlacedCall);
        if (idempotencyKey is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE placements SET call_id = @id, response = @response WHERE workspace_id = @workspaceId AND idempotency_key = @idempotencyKey",
                new { id, response, workspaceId, idempotencyKey }, transaction, cancellationToken: cancellationToken));
        }
        await EventLog.AppendAsync(connection, transaction, workspaceId, events, cancellationToken);
        await EventLog.CommitAsync(transaction, cancellationToken);
        return new PlaceResult(PlaceOutcome.Placed, response);
    }

    private sealed class AgentRow
    {
        public string? Name { get; set; }
    }

    private sealed class PlacementRow
    {
        public string RequestHash { get; set; } = "";
        public string Response { get; set; } = "";
        public long CreatedAt { get; set; }
    }

    /// <summary>
    /// Takes the Idempotency-Key for this request, or answers as the request that took it did. The key's row
    /// is written first: a concurrent request with the same key waits on it (PostgreSQL) or queues behind this
    /// transaction (SQLite), then finds it. Null when this request is the one to place the call.
    /// </summary>
    private static async Task<PlaceResult?> ClaimKeyAsync(DbConnection connection, DbTransaction transaction, long workspaceId, string key, string hash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var parameters = new { workspaceId, key, hash, now = now.ToUnixTimeSeconds(), expired = (now - IdempotencyWindow).ToUnixTimeSeconds() };
        // A key older than the window is free again.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM placements WHERE workspace_id = @workspaceId AND idempotency_key = @key AND created_at < @expired",
            parameters, transaction, cancellationToken: cancellationToken));
        var taken = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO placements (workspace_id, idempotency_key, request_hash, call_id, response, created_at)
            VALUES (@workspaceId, @key, @hash, '', '', @now)
            ON CONFLICT (workspace_id, idempotency_key) DO NOTHING
            """, parameters, transaction, cancellationToken: cancellationToken));
        if (taken == 1)
        {
            return null;
        }
        var first = await connection.QuerySingleAsync<PlacementRow>(new CommandDefinition(
            "SELECT request_hash AS RequestHash, response AS Response, created_at AS CreatedAt FROM placements WHERE workspace_id = @workspaceId AND idempotency_key = @key",
            parameters, transaction, cancellationToken: cancellationToken));
        return first.RequestHash == hash ? new PlaceResult(PlaceOutcome.Replayed, first.Response) : new PlaceResult(PlaceOutcome.IdempotencyConflict);
    }

    /// <summary>Counts one call against the key's budget for today (UTC); the budget when it is already spent, else null.</summary>
    private static async Task<long?> SpendAsync(DbConnection connection, DbTransaction transaction, string keyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var budget = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT calls_per_day FROM api_keys WHERE id = @keyId", new { keyId }, transaction, cancellationToken: cancellationToken));
        if (budget is null)
        {
            return null;
        }
        var spent = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO key_daily_calls (key_id, day, calls) VALUES (@keyId, @day, 1)
            ON CONFLICT (key_id, day) DO UPDATE SET calls = key_daily_calls.calls + 1
            RETURNING calls
            """, new { keyId, day = now.ToUnixTimeSeconds() / 86400 }, transaction, cancellationToken: cancellationToken));
        return spent > budget ? budget : null;
    }

    /// <summary>Cancels a queued call that no runtime holds; a canceled call stays canceled (the same answer again).</summary>
    public async Task<WriteResult> CancelAsync(long workspaceId, string id, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("calls.cancel");
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The queue row first, locked: a claim racing this cancel either took it before (then it is leased) or skips it.
        var lease = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            $"SELECT q.lease_until FROM dial_queue q WHERE q.workspace_id = @workspaceId AND q.call_id = @id {database.LockRowsOf("q")}",
            new { workspaceId, id }, transaction, cancellationToken: cancellationToken));
        if (lease > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
        {
            return new WriteResult(WriteOutcome.Conflict, null, "it has been handed to a runtime to dial; a runtime releases or ends it");
        }
        static WriteDecision Decide(StoredCall? current) => current?.Detail.Status switch
        {
            null => WriteDecision.Fail(WriteOutcome.NotFound),
            CallStatus.Queued => Transition.To(CallStatus.Canceled)(current),
            CallStatus.Canceled => WriteDecision.Fail(WriteOutcome.Unchanged),
            { } status => WriteDecision.Fail(WriteOutcome.Conflict, $"it is {CallEnums.Name(status)}; only queued calls can be canceled"),
        };
        var (result, events) = await calls.WriteInAsync(connection, transaction, workspaceId, id, null, Decide, cancellationToken);
        if (result.Outcome == WriteOutcome.Replaced)
        {
            await EventLog.AppendAsync(connection, transaction, workspaceId, events, cancellationToken);
            await EventLog.CommitAsync(transaction, cancellationToken);
        }
        return result;
    }
}
