using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using CallLog.Storage;
using Dapper;

namespace CallLog.Calls.List;

/// <summary>
/// Opaque, URL-safe keyset cursors. A cursor carries the position it continues after, and an HMAC over
/// that position, the workspace and the filters that produced it: a cursor that was altered, or is
/// replayed with other filters or another workspace's key, is refused instead of silently paging
/// something else. The signing key lives in the store, so every node accepts every node's cursors.
/// </summary>
internal sealed class CursorCodec(Database database)
{
    private const byte Version = 2; // 2: the signature covers the sort and every filter
    private const int SignatureLength = 16;
    private byte[]? _key;

    public string Encode(CallPosition position, long workspaceId, CallListQuery query)
    {
        var payload = Payload(position);
        var token = new byte[payload.Length + SignatureLength];
        payload.CopyTo(token, 0);
        Sign(payload, workspaceId, query).CopyTo(token.AsSpan(payload.Length));
        return Base64Url.EncodeToString(token);
    }

    public bool TryDecode(string cursor, long workspaceId, CallListQuery query, out CallPosition position)
    {
        position = default;
        byte[] token;
        try
        {
            token = Base64Url.DecodeFromChars(cursor);
        }
        catch (FormatException)
        {
            return false;
        }
        if (token.Length < 1 + 8 + SignatureLength || token[0] != Version)
        {
            return false;
        }
        var payload = token.AsSpan(0, token.Length - SignatureLength);
        // Fixed-time, so response timing says nothing about how close a forged signature came.
        if (!CryptographicOperations.FixedTimeEquals(Sign(payload, workspaceId, query), token.AsSpan(payload.Length)))
        {
            return false;
        }
        position = new CallPosition(BinaryPrimitives.ReadInt64BigEndian(payload[1..9]), Encoding.UTF8.GetString(payload[9..]));
        return true;
    }

    /// <summary>Loads (or, on a new store, creates) the signing key. Called once at start.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO settings (name, value) VALUES ('cursor_key', @value) ON CONFLICT (name) DO NOTHING",
            new { value = RandomNumberGenerator.GetBytes(32) }, cancellationToken: cancellationToken));
        _key = await connection.ExecuteScalarAsync<byte[]>(new CommandDefinition(
            "SELECT value FROM settings WHERE name = 'cursor_key'", cancellationToken: cancellationToken));
    }

    private static byte[] Payload(CallPosition position)
    {
        var id = Encoding.UTF8.GetBytes(position.Id);
        var payload = new byte[1 + 8 + id.Length];
        payload[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(1, 8), position.Key);
        id.CopyTo(payload, 9);
        return payload;
    }

    private byte[] Sign(ReadOnlySpan<byte> payload, long workspaceId, CallListQuery query)
    {
        var key = _key ?? throw new InvalidOperationException("CursorCodec.InitializeAsync was not called at start.");
        var scope = Encoding.UTF8.GetBytes($"\n{workspaceId}\n{query.Sort}\n{query.Conditions.Signature()}");
        var message = new byte[payload.Length + scope.Length];
        payload.CopyTo(message);
        scope.CopyTo(message, payload.Length);
        return HMACSHA256.HashData(key, message)[..SignatureLength];
    }
}
