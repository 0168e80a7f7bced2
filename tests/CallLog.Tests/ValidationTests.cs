using System.Net;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

public abstract class ValidationTests<TStore>(KnownCallsServer<TStore> server) where TStore : TestStore, new()
{
    [Theory]
    [InlineData("?status=done", "status")]
    [InlineData("?status=Completed", "status")]
    [InlineData("?status=", "status")]
    [InlineData("?type=both", "type")]
    [InlineData("?type=", "type")]
    [InlineData("?page=0", "page")]
    [InlineData("?page=-1", "page")]
    [InlineData("?page=abc", "page")]
    [InlineData("?page=1.0", "page")]
    [InlineData("?page=+2", "page")]
    [InlineData("?page=", "page")]
    [InlineData("?page=99999999999999999999", "page")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?agent_id=", "agent_id")]
    [InlineData("?order=started_at", "order")]
    [InlineData("?sort=newest", "sort")]
    [InlineData("?Agent=1", "Agent")]
    [InlineData("?status=completed&status=failed", "status")]
    [InlineData("?page=1&page=1", "page")]
    [InlineData("?agent_id=a&agent_id=b", "agent_id")]
    [InlineData("?agent_id=%00", "agent_id")]
    [InlineData("?q=premium%00", "q")]
    public async Task InvalidQueriesGetValidationErrorsNamingTheParameter(string query, string parameter)
    {
        using var response = await server.Client.GetAsync($"/api/v1/calls{query}", server.AcmeReader);

        var message = await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error");
        Assert.Contains(parameter, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LimitAndStatusMessagesSayWhatIsAllowed()
    {
        using var limit = await server.Client.GetAsync("/api/v1/calls?limit=500", server.AcmeReader);
        Assert.Contains("1 to 100", await limit.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);

        using var status = await server.Client.GetAsync("/api/v1/calls?status=ok", server.AcmeReader);
        Assert.Contains("completed, failed, in-progress", await status.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/calls?page=%00")]
    [InlineData("/api/v1/calls?agent_id=%27%3B%20DROP%20TABLE%20calls%3B--")]
    [InlineData("/api/v1/calls?agent_id=%E2%9C%93%F0%9F%93%9E")]
    [InlineData("/api/v1/calls?status=%FF%FE")]
    [InlineData("/api/v1/calls?limit=100&page=2147483647")]
    [InlineData("/api/v1/calls?=&&&=")]
    [InlineData("/api/v1/calls?%00=1")]
    [InlineData("/api/v1/calls/../calls")]
    [InlineData("/api/v1/calls/")]
    [InlineData("/api/v1/calls/extra/segments")]
    [InlineData("/API/V1/CALLS")]
    public async Task NoInputProducesAServerError(string url)
    {
        using var response = await server.Client.GetAsync(url, server.AcmeReader);

        Assert.True((int)response.StatusCode < 500, $"{url} gave {(int)response.StatusCode}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ABodyWithBrokenChunkedFramingIsA400NotA500()
    {
        // HttpClient cannot send this; a raw connection can. "zz" is not a chunk size.
        var address = server.Client.BaseAddress!;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, TestContext.Current.CancellationToken);
        await using var stream = tcp.GetStream();
        var request = $"PUT /api/v1/calls/call_chunked HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {server.AcmeWriterOnly}\r\n" +
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request), TestContext.Current.CancellationToken);

        using var reader = new StreamReader(stream);
        var response = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Contains("\"error\":\"validation_error\"", response, StringComparison.Ordinal);
        Assert.Contains("could not be read", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVeryLongAgentIdIsAnsweredNotCrashedOn()
    {
        using var response = await server.Client.GetAsync($"/api/v1/calls?agent_id={new string('x', 4000)}", server.AcmeReader);

        var page = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, page.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task UnknownRoutesGetNotFoundInKlensErrorShape()
    {
        using var response = await server.Client.GetAsync("/api/v1/nothing-here", server.AcmeReader);

        await response.ErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AWrongMethodGetsAJsonErrorToo()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/calls");
        request.Headers.Add("X-API-Key", server.AcmeReader);
        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        await response.ErrorAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }
}

public sealed class ValidationTestsOnSqlite(KnownCallsServer<SqliteStore> server) : ValidationTests<SqliteStore>(server), IClassFixture<KnownCallsServer<SqliteStore>>;

public sealed class ValidationTestsOnPostgres(KnownCallsServer<PostgresStore> server) : ValidationTests<PostgresStore>(server), IClassFixture<KnownCallsServer<PostgresStore>>;
