using System.Net;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>
/// A node whose every connection is taken answers the next request 503 server_busy with Retry-After (a
/// saturated node, not a broken one), and serves again once a connection is free.
/// </summary>
public sealed class PoolExhaustionTests(OneConnectionServer server) : IClassFixture<OneConnectionServer>
{
    [Fact]
    public async Task ARequestThatFindsNoFreeConnectionGets503ServerBusyThenServiceResumes()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // Lock the call's row from outside; a PUT to it then holds the node's one connection while it waits.
        await using var holder = await server.Store.OpenConnectionAsync();
        await using var transaction = await holder.BeginTransactionAsync(cancellationToken);
        await using (var lockRow = holder.CreateCommand())
        {
            lockRow.Transaction = transaction;
            lockRow.CommandText = "SELECT 1 FROM calls WHERE id = 'call_locked' FOR UPDATE";
            await lockRow.ExecuteScalarAsync(cancellationToken);
        }
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/calls/call_locked")
        {
            Content = new StringContent(TestCall.WriteBody("call_locked"), System.Text.Encoding.UTF8, "application/json"),
        };
        put.Headers.Authorization = new("Bearer", server.Writer);
        var waiting = server.Client.SendAsync(put, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        Assert.False(waiting.IsCompleted, "the PUT should be waiting on the row lock");

        using (var busy = await server.Client.GetAsync("/api/v1/calls", server.Writer))
        {
            var error = await busy.JsonAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("server_busy", error.GetProperty("error").GetString());
            Assert.Equal("1", busy.Headers.GetValues("Retry-After").Single());
        }

        await transaction.RollbackAsync(cancellationToken);
        using (var written = await waiting)
        {
            Assert.True(written.IsSuccessStatusCode, $"PUT after the lock: {(int)written.StatusCode}");
        }
        using var served = await server.Client.GetAsync("/api/v1/calls", server.Writer);
        Assert.Equal(1, (await served.JsonAsync(HttpStatusCode.OK)).GetProperty("count").GetInt64());
    }
}
