using System.Net;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

public abstract class AuthenticationTests<TStore>(KnownCallsServer<TStore> server) where TStore : TestStore, new()
{
    private async Task<HttpResponseMessage> SendAsync(string url, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string code)
    {
        await response.ErrorAsync(HttpStatusCode.Unauthorized, code);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task NoKeyIsAuthenticationRequired()
    {
        using var response = await SendAsync("/api/v1/calls");
        await AssertUnauthorizedAsync(response, "authentication_required");
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Token klen_abc")]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    public async Task AnotherSchemeOrAnEmptyBearerIsAuthenticationRequired(string authorization)
    {
        using var response = await SendAsync("/api/v1/calls", ("Authorization", authorization));
        await AssertUnauthorizedAsync(response, "authentication_required");
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    public async Task TheBearerSchemeIsCaseInsensitive(string scheme)
    {
        using var response = await SendAsync("/api/v1/calls", ("Authorization", $"{scheme} {server.AcmeReader}"));
        await response.JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheKeyMayComeInXApiKeyOrTheApiKeyParameter()
    {
        using var header = await SendAsync("/api/v1/calls", ("X-API-Key", server.AcmeReader));
        Assert.Equal(61, (await header.JsonAsync(HttpStatusCode.OK)).GetProperty("count").GetInt64());

        using var query = await SendAsync($"/api/v1/calls?api_key={server.AcmeReader}&limit=5");
        Assert.Equal(5, (await query.JsonAsync(HttpStatusCode.OK)).GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task TheSameKeyInTwoPlacesIsFineButTwoDifferentKeysAreRefused()
    {
        using var same = await SendAsync("/api/v1/calls", ("Authorization", $"Bearer {server.AcmeReader}"), ("X-API-Key", server.AcmeReader));
        await same.JsonAsync(HttpStatusCode.OK);

        using var different = await SendAsync("/api/v1/calls", ("Authorization", $"Bearer {server.AcmeReader}"), ("X-API-Key", server.GlobexReader));
        await AssertUnauthorizedAsync(different, "invalid_key");

        using var viaQuery = await SendAsync($"/api/v1/calls?api_key={server.GlobexReader}", ("X-API-Key", server.AcmeReader));
        await AssertUnauthorizedAsync(viaQuery, "invalid_key");
    }

    [Theory]
    [InlineData("klen_thisKeyWasNeverIssuedToAnybody000000000000")]
    [InlineData("not-even-a-key")]
    [InlineData("klen_")]
    public async Task AnUnknownKeyIsInvalid(string key)
    {
        using var response = await SendAsync("/api/v1/calls", ("Authorization", $"Bearer {key}"));
        await AssertUnauthorizedAsync(response, "invalid_key");
    }

    [Fact]
    public async Task AKeyOneCharacterOffIsInvalid()
    {
        var almost = server.AcmeReader[..^1] + (server.AcmeReader[^1] == 'a' ? 'b' : 'a');
        using var response = await SendAsync("/api/v1/calls", ("X-API-Key", almost));
        await AssertUnauthorizedAsync(response, "invalid_key");
    }

    [Fact]
    public async Task AKeyWithoutCanReadCallsIsPermissionDenied()
    {
        using var response = await SendAsync("/api/v1/calls", ("X-API-Key", server.AcmeWriterOnly));

        var message = await response.ErrorAsync(HttpStatusCode.Forbidden, "permission_denied");
        Assert.Contains("can_read_calls", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticationComesBeforeValidation()
    {
        using var response = await SendAsync("/api/v1/calls?status=nonsense");
        await AssertUnauthorizedAsync(response, "authentication_required");
    }
}

public sealed class AuthenticationTestsOnSqlite(KnownCallsServer<SqliteStore> server) : AuthenticationTests<SqliteStore>(server), IClassFixture<KnownCallsServer<SqliteStore>>;

public sealed class AuthenticationTestsOnPostgres(KnownCallsServer<PostgresStore> server) : AuthenticationTests<PostgresStore>(server), IClassFixture<KnownCallsServer<PostgresStore>>;
