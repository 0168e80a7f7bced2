using System.Net;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

public abstract class KeyLifecycleTests<TStore>(FastFlushServer<TStore> server) where TStore : TestStore, new()
{
    [Fact]
    public async Task AKeyCreatedWhileTheServerRunsWorksAtOnce()
    {
        var (_, secret) = await server.Store.CreateKeyAsync("can_read_calls");

        using var response = await server.Client.GetAsync("/api/v1/calls", secret);
        Assert.Equal(1, (await response.JsonAsync(HttpStatusCode.OK)).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task ARevokedKeyIsRefusedFromTheNextRequestOn()
    {
        var (id, secret) = await server.Store.CreateKeyAsync("can_read_calls");
        using (var before = await server.Client.GetAsync("/api/v1/calls", secret))
        {
            await before.JsonAsync(HttpStatusCode.OK);
        }

        var revoke = await server.Store.SucceedAsync("keys", "revoke", id);
        Assert.Contains(id, revoke.Stdout, StringComparison.Ordinal);

        using var after = await server.Client.GetAsync("/api/v1/calls", secret);
        Assert.Contains("revoked", await after.ErrorAsync(HttpStatusCode.Unauthorized, "invalid_key"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredKeyIsRefused()
    {
        var (id, secret) = await server.Store.CreateKeyAsync("can_read_calls", "default", "--expires-in", "3s");
        using (var fresh = await server.Client.GetAsync("/api/v1/calls", secret))
        {
            await fresh.JsonAsync(HttpStatusCode.OK);
        }

        await Task.Delay(TimeSpan.FromSeconds(4), TestContext.Current.CancellationToken);

        using var stale = await server.Client.GetAsync("/api/v1/calls", secret);
        Assert.Contains("expired", await stale.ErrorAsync(HttpStatusCode.Unauthorized, "invalid_key"), StringComparison.Ordinal);
        var list = await server.Store.SucceedAsync("keys", "list", "--json");
        var state = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id).GetProperty("state").GetString();
        Assert.Equal("expired", state);
    }

    [Fact]
    public async Task LastUseIsRecordedWithoutARestart()
    {
        var (id, secret) = await server.Store.CreateKeyAsync("can_read_calls");
        Assert.Equal(JsonValueKind.Null, (await KeyAsync(id)).GetProperty("last_used_at").ValueKind);

        using (var response = await server.Client.GetAsync("/api/v1/calls", secret))
        {
            await response.JsonAsync(HttpStatusCode.OK);
        }

        var deadline = DateTime.UtcNow.AddSeconds(15);
        JsonElement key;
        do
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            key = await KeyAsync(id);
        }
        while (key.GetProperty("last_used_at").ValueKind == JsonValueKind.Null && DateTime.UtcNow < deadline);
        var lastUsed = DateTimeOffset.Parse(key.GetProperty("last_used_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(lastUsed, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    private async Task<JsonElement> KeyAsync(string id)
    {
        var list = await server.Store.SucceedAsync("keys", "list", "--json");
        return JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id).Clone();
    }

    [Fact]
    public async Task SecretsNeverReachTheLog()
    {
        var (_, secret) = await server.Store.CreateKeyAsync("can_read_calls");
        var (_, writer) = await server.Store.CreateKeyAsync("can_write_calls");
        var (revokedId, revoked) = await server.Store.CreateKeyAsync("can_read_calls");
        await server.Store.SucceedAsync("keys", "revoke", revokedId);

        // Every way a key can arrive, succeed or fail.
        (await server.Client.GetAsync($"/api/v1/calls?api_key={secret}", null)).Dispose();
        (await server.Client.GetAsync($"/api/v1/calls?api_key={secret}&status=bogus", null)).Dispose();
        (await server.Client.GetAsync($"/missing?api_key={secret}", null)).Dispose();
        (await server.Client.GetAsync("/api/v1/calls", secret)).Dispose();
        (await server.Client.GetAsync("/api/v1/calls", writer)).Dispose();
        (await server.Client.GetAsync("/api/v1/calls", revoked)).Dispose();
        (await server.Client.GetAsync($"/api/v1/calls?api_key={revoked}", secret)).Dispose();
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/calls"))
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Basic {secret}");
            (await server.Client.SendAsync(request, TestContext.Current.CancellationToken)).Dispose();
        }

        await Task.Delay(1500, TestContext.Current.CancellationToken); // let the log lines and a usage flush land
        var log = server.Log;
        Assert.Contains("api_key=[redacted]", log, StringComparison.Ordinal); // the requests were logged...
        foreach (var key in new[] { secret, writer, revoked })
        {
            Assert.DoesNotContain(key, log, StringComparison.Ordinal); // ...but never a key
            Assert.DoesNotContain(key[12..], log, StringComparison.Ordinal);
        }
    }
}

public sealed class KeyLifecycleTestsOnSqlite(FastFlushServer<SqliteStore> server) : KeyLifecycleTests<SqliteStore>(server), IClassFixture<FastFlushServer<SqliteStore>>;

public sealed class KeyLifecycleTestsOnPostgres(FastFlushServer<PostgresStore> server) : KeyLifecycleTests<PostgresStore>(server), IClassFixture<FastFlushServer<PostgresStore>>;
