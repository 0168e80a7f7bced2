using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

public abstract class KeysCliTests<TStore> : StoreTests<TStore> where TStore : TestStore, new()
{
    [Fact]
    public async Task CreateWithJsonPrintsTheKeyOnceWithItsFields()
    {
        var result = await Store.SucceedAsync("keys", "create", "--name", "billing sync", "--permissions", "can_read_calls,can_write_calls",
            "--workspace", "acme", "--expires-in", "90d", "--json");

        using var json = JsonDocument.Parse(result.Stdout);
        var key = json.RootElement;
        Assert.StartsWith("key_", key.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("billing sync", key.GetProperty("name").GetString());
        Assert.Equal("acme", key.GetProperty("workspace").GetString());
        Assert.Equal(["can_read_calls", "can_write_calls"], key.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Matches(Patterns.SecretShape(), key.GetProperty("key").GetString());
        var expires = DateTimeOffset.Parse(key.GetProperty("expires_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddDays(90).AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(90).AddMinutes(5));
    }

    [Fact]
    public async Task TwoKeysNeverShareASecret()
    {
        var (_, first) = await Store.CreateKeyAsync("can_read_calls");
        var (_, second) = await Store.CreateKeyAsync("can_read_calls");
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task ListShowsPrefixPermissionsAndStateButNeverTheSecret()
    {
        var (id, secret) = await Store.CreateKeyAsync("can_read_calls");
        var (revokedId, _) = await Store.CreateKeyAsync("can_write_calls");
        await Store.SucceedAsync("keys", "revoke", revokedId);

        var json = await Store.SucceedAsync("keys", "list", "--json");
        var table = await Store.SucceedAsync("keys", "list");

        Assert.DoesNotContain(secret[12..], json.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[12..], table.Stdout, StringComparison.Ordinal);
        var keys = JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().ToDictionary(k => k.GetProperty("id").GetString()!);
        Assert.Equal(secret[..12], keys[id].GetProperty("prefix").GetString());
        Assert.Equal("active", keys[id].GetProperty("state").GetString());
        Assert.Equal("revoked", keys[revokedId].GetProperty("state").GetString());
        foreach (var field in new[] { "created_at", "last_used_at", "expires_at", "permissions" })
        {
            Assert.True(keys[id].TryGetProperty(field, out _), field);
        }
        Assert.False(keys[id].TryGetProperty("key", out _));
        Assert.Contains("active", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListIsScopedToTheWorkspace()
    {
        var (acme, _) = await Store.CreateKeyAsync("can_read_calls", "acme");
        var (globex, _) = await Store.CreateKeyAsync("can_read_calls", "globex");

        var result = await Store.SucceedAsync("keys", "list", "--workspace", "acme", "--json");

        Assert.Contains(acme, result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(globex, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokingAnUnknownKeyIsAnError()
    {
        var result = await Store.RunAsync("keys", "revoke", "key_doesNotExist");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("key_doesNotExist", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--permissions", "can_fly", "can_fly")]
    [InlineData("--permissions", ",", "permissions")]
    [InlineData("--expires-in", "10", "--expires-in")]
    [InlineData("--expires-in", "-5m", "--expires-in")]
    [InlineData("--expires-in", "2w", "--expires-in")]
    [InlineData("--workspace", "no spaces", "--workspace")]
    public async Task BadCreateOptionsAreRefusedWithAMessage(string option, string value, string named)
    {
        var options = new Dictionary<string, string> { ["--name"] = "x", ["--permissions"] = "can_read_calls", [option] = value };
        string[] args = ["keys", "create", .. options.SelectMany(o => new[] { o.Key, o.Value })];

        var result = await Store.RunAsync(args);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(named, result.Stderr, StringComparison.Ordinal);
        Assert.Empty(JsonDocument.Parse((await Store.SucceedAsync("keys", "list", "--json")).Stdout).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task CreateWithoutPermissionsIsAUsageError()
    {
        var result = await Store.RunAsync("keys", "create", "--name", "x");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--permissions", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }
}

public sealed class KeysCliTestsOnSqlite : KeysCliTests<SqliteStore>;

public sealed class KeysCliTestsOnPostgres : KeysCliTests<PostgresStore>;
