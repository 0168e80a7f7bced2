using System.Net;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>
/// SSRF: a server with the default Webhooks:AllowPrivateNetworks=false refuses endpoints on loopback,
/// private, link-local and multicast addresses when they are saved, and again when it connects.
/// </summary>
public abstract class WebhookGuardTests<TStore>(StrictWebhookServer<TStore> server) where TStore : TestStore, new()
{
    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://192.168.1.10/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://224.0.0.1/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    public async Task AnEndpointOnAPrivateNetworkIsRefused(string url)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/api/v1/webhooks", $$"""{"url":"{{url}}","events":["call.ended"]}""");
        var message = await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error");
        Assert.Contains("Webhooks:AllowPrivateNetworks", message);

        var cli = await CallLogProcess.RunAsync(["webhooks", "create", "--url", url, "--events", "call.ended", "--db", server.Store.Db]);
        Assert.Equal(1, cli.ExitCode);
        Assert.Contains("Webhooks:AllowPrivateNetworks", cli.Stderr);
    }

    [Fact]
    public async Task APublicAddressIsAccepted()
    {
        var created = await server.JsonAsync(HttpMethod.Post, "/api/v1/webhooks", HttpStatusCode.Created, """{"url":"https://93.184.216.34/hook","events":["contact.updated"]}""");
        using var deleted = await server.SendAsync(HttpMethod.Delete, $"/api/v1/webhooks/{created.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task AnEndpointThatReachesAPrivateAddressIsRefusedAtConnectTime()
    {
        // Saved where private networks are allowed (as if DNS had changed since): this server still will not connect.
        var url = server.Receiver.NewUrl();
        var cli = await CallLogProcess.RunAsync(["webhooks", "create", "--url", url, "--events", "call.started", "--workspace", "hooks", "--json", "--db", server.Store.Db],
            environment: new Dictionary<string, string> { ["Webhooks__AllowPrivateNetworks"] = "true" });
        Assert.True(cli.ExitCode == 0, cli.ToString());
        var webhook = JsonDocument.Parse(cli.Stdout).RootElement.GetProperty("id").GetString()!;
        await server.PutCallAsync($"guard-{Guid.NewGuid():N}");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement delivery;
        while (true)
        {
            delivery = (await server.DeliveriesAsync(webhook)).SingleOrDefault();
            if (delivery.ValueKind == JsonValueKind.Object && delivery.GetProperty("status").GetString() == "failed")
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the delivery never failed: {delivery}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.StartsWith("blocked: ", delivery.GetProperty("error").GetString());
        Assert.Contains("127.0.0.1", delivery.GetProperty("error").GetString());
        Assert.Empty(server.Receiver.For(url));
    }
}

public sealed class WebhookGuardTestsOnSqlite(StrictWebhookServer<SqliteStore> server) : WebhookGuardTests<SqliteStore>(server), IClassFixture<StrictWebhookServer<SqliteStore>>;

public sealed class WebhookGuardTestsOnPostgres(StrictWebhookServer<PostgresStore> server) : WebhookGuardTests<PostgresStore>(server), IClassFixture<StrictWebhookServer<PostgresStore>>;
