using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

public abstract class OperationsTests<TStore>(OperationsServer<TStore> server) where TStore : TestStore, new()
{
    private static async Task<string> BodyAsync(HttpResponseMessage response) =>
        await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task HealthAndReadinessAnswerWithoutAKey(string path)
    {
        using var response = await server.Client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal("ok", (await response.JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task ReadinessIs503WhileAMigrationIsMissingAndHealthStaysOk()
    {
        // Hiding DbUp's journal (SchemaVersions; unquoted, so PostgreSQL folds it to lower case) makes every migration look unapplied, as if the schema had been reset under a running node.
        await server.Store.ExecuteSqlAsync("ALTER TABLE SchemaVersions RENAME TO SchemaVersionsHidden");
        try
        {
            using var notReady = await server.Client.GetAsync("/readyz", TestContext.Current.CancellationToken);
            var body = await notReady.JsonAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("unavailable", body.GetProperty("status").GetString());
            Assert.Contains("migration(s) not applied", body.GetProperty("problem").GetString(), StringComparison.Ordinal);
            using var alive = await server.Client.GetAsync("/healthz", TestContext.Current.CancellationToken);
            await alive.JsonAsync(HttpStatusCode.OK);
        }
        finally
        {
            await server.Store.ExecuteSqlAsync("ALTER TABLE SchemaVersionsHidden RENAME TO SchemaVersions");
        }
        using var ready = await server.Client.GetAsync("/readyz", TestContext.Current.CancellationToken);
        await ready.JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ErrorBodiesCarryTheRequestIdOfTheHeaderAndTheLog()
    {
        using var given = new HttpRequestMessage(HttpMethod.Get, "/api/v1/calls?limit=0");
        given.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.Unlimited);
        given.Headers.Add("X-Request-Id", "support-case-4711");
        using var response = await server.Client.SendAsync(given, TestContext.Current.CancellationToken);

        var body = await response.JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("support-case-4711", body.GetProperty("request_id").GetString());
        Assert.Equal("support-case-4711", response.Headers.GetValues("X-Request-Id").Single());
        await WaitForLogAsync("support-case-4711");

        // Without one (or with one that could smuggle text into a log), the server makes its own.
        using var unsafeId = new HttpRequestMessage(HttpMethod.Get, "/api/v1/calls");
        unsafeId.Headers.TryAddWithoutValidation("X-Request-Id", "a b\"c");
        using var anonymous = await server.Client.SendAsync(unsafeId, TestContext.Current.CancellationToken);
        var made = (await anonymous.JsonAsync(HttpStatusCode.Unauthorized)).GetProperty("request_id").GetString();
        Assert.False(string.IsNullOrEmpty(made));
        Assert.NotEqual("a b\"c", made);
        Assert.Equal(made, anonymous.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task LogsAreJsonWhenConfiguredAndNeverCarryAKey()
    {
        using var response = await server.Client.GetAsync($"/api/v1/calls?api_key={server.Unlimited}&status=completed", TestContext.Current.CancellationToken);
        await response.JsonAsync(HttpStatusCode.OK);
        var requestId = response.Headers.GetValues("X-Request-Id").Single();

        var requestLine = await RequestLineAsync(requestId);
        Assert.Contains("api_key=[redacted]", requestLine.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(server.Unlimited, server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Unlimited[12..], server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheClientAddressInTheLogComesFromForwardedHeadersOnlyThroughAConfiguredProxy()
    {
        var behindProxy = await ClientInLogAsync(server.Client);
        var direct = await ClientInLogAsync(await server.StartAsync(new Dictionary<string, string> { ["ForwardedHeaders__KnownProxies"] = "" }));

        Assert.Equal("203.0.113.7", behindProxy);
        Assert.Equal("127.0.0.1", direct);

        var refused = await CallLogProcess.RunAsync(["serve", "--db", server.Store.Db, "--urls", "http://127.0.0.1:0"],
            environment: new Dictionary<string, string> { ["ForwardedHeaders__KnownProxies"] = "10.0.0.5, proxy.internal" });
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("ForwardedHeaders:KnownProxies must be IP addresses or networks", refused.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Sends a request that claims, in X-Forwarded-For, to come from 203.0.113.7; returns the client its log line names.</summary>
    private async Task<string?> ClientInLogAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var line = await RequestLineAsync(response.Headers.GetValues("X-Request-Id").Single());
        return line.GetProperty("State").GetProperty("Client").GetString();
    }

    /// <summary>The request's one line in the (JSON) log, once it is written.</summary>
    private async Task<JsonElement> RequestLineAsync(string requestId)
    {
        await WaitForLogAsync(requestId);
        return server.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Single(e => e.GetProperty("Category").GetString() == "CallLog.Requests" && e.GetProperty("State").GetProperty("RequestId").GetString() == requestId);
    }

    [Fact]
    public async Task MetricsShowRequestDurationsByRouteAndStatusStoreQueriesAndRejectedKeys()
    {
        using (await server.Client.GetAsync("/api/v1/calls", server.Unlimited))
        using (await server.Client.GetAsync("/api/v1/calls", "klen_0000000000000000000000000000000000000000"))
        using (await server.Client.GetAsync("/api/v1/calls", TestContext.Current.CancellationToken))
        {
        }

        var metrics = "";
        for (var attempt = 0; attempt < 50 && !metrics.Contains("reason=\"missing\"", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            using var scrape = await server.Client.GetAsync("/metrics", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            metrics = await BodyAsync(scrape);
        }
        Assert.Matches("""http_server_request_duration_seconds_count\{[^}]*http_response_status_code="200",http_route="/api/v1/calls/"[^}]*\} [1-9]""", metrics);
        Assert.Matches("""http_server_request_duration_seconds_count\{[^}]*http_response_status_code="401",http_route="/api/v1/calls/"[^}]*\} [1-9]""", metrics);
        Assert.Matches("""calllog_store_query_duration_seconds_count\{[^}]*operation="calls.list"[^}]*\} [1-9]""", metrics);
        Assert.Matches("""calllog_keys_rejected_total\{[^}]*reason="unknown"[^}]*\} [1-9]""", metrics);
        Assert.Matches("""calllog_keys_rejected_total\{[^}]*reason="missing"[^}]*\} [1-9]""", metrics);
        Assert.DoesNotContain("klen_", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyOverItsBudgetGets429WithRetryAfterAndOtherKeysAreUnaffected()
    {
        for (var i = 1; i <= 3; i++)
        {
            using var ok = await server.Client.GetAsync("/api/v1/calls", server.ThreeAMinute);
            await ok.JsonAsync(HttpStatusCode.OK);
            Assert.Equal("3", ok.Headers.GetValues("RateLimit-Limit").Single());
            Assert.Equal($"{3 - i}", ok.Headers.GetValues("RateLimit-Remaining").Single());
            Assert.Equal("3;w=60", ok.Headers.GetValues("RateLimit-Policy").Single());
        }

        using var refused = await server.Client.GetAsync("/api/v1/calls", server.ThreeAMinute);
        var message = await refused.ErrorAsync(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.Contains("3 requests per minute", message, StringComparison.Ordinal);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal("0", refused.Headers.GetValues("RateLimit-Remaining").Single());

        using var other = await server.Client.GetAsync("/api/v1/calls", server.ThreeAMinuteToo);
        await other.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("2", other.Headers.GetValues("RateLimit-Remaining").Single());
    }

    [Fact]
    public async Task TheServerDefaultComesFromConfigurationAndZeroMeansUnlimited()
    {
        using var byDefault = await server.Client.GetAsync("/api/v1/calls", server.ServerDefault);
        await byDefault.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("5", byDefault.Headers.GetValues("RateLimit-Limit").Single());

        for (var i = 0; i < 12; i++)
        {
            using var unlimited = await server.Client.GetAsync("/api/v1/calls", server.Unlimited);
            await unlimited.JsonAsync(HttpStatusCode.OK);
            Assert.False(unlimited.Headers.Contains("RateLimit-Limit"));
        }
    }

    [Fact]
    public async Task KeysShowTheirRateLimitAndANegativeOneIsRefused()
    {
        var refused = await server.Store.RunAsync("keys", "create", "--name", "x", "--permissions", "can_read_calls", "--rate-limit", "-1");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--rate-limit must be 0 (unlimited) or a positive number", refused.Stderr, StringComparison.Ordinal);

        var listed = await server.Store.SucceedAsync("keys", "list", "--workspace", "ops", "--json");
        var limits = JsonDocument.Parse(listed.Stdout).RootElement.EnumerateArray()
            .Select(k => k.GetProperty("rate_limit").ValueKind == JsonValueKind.Null ? "default" : $"{k.GetProperty("rate_limit").GetInt32()}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(["0", "3", "3", "default"], limits);
    }

    private async Task WaitForLogAsync(string text)
    {
        for (var attempt = 0; attempt < 50 && !server.Log.Contains(text, StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Contains(text, server.Log, StringComparison.Ordinal);
    }
}

public sealed class OperationsTestsOnSqlite(OperationsServer<SqliteStore> server) : OperationsTests<SqliteStore>(server), IClassFixture<OperationsServer<SqliteStore>>;

public sealed class OperationsTestsOnPostgres(OperationsServer<PostgresStore> server) : OperationsTests<PostgresStore>(server), IClassFixture<OperationsServer<PostgresStore>>;
