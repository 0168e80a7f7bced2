using System.Net;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests.Faults;

/// <summary>SQLite on a disk that fills up, or cannot be written at all: 503 and a readiness that says so, one-line CLI errors, nothing lost.</summary>
public sealed class DiskTests(FaultServer<TmpfsSqliteStore> server) : IClassFixture<FaultServer<TmpfsSqliteStore>>
{
    private Task<HttpResponseMessage> PutAsync(string id) =>
        server.Client.SendAsync(server.Request(HttpMethod.Put, $"/api/v1/calls/{id}", TestCall.WriteBody(id)), TestContext.Current.CancellationToken);

    private static void AssertOneLine(CliResult result, string cause)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal) && lines[0].Contains(cause, StringComparison.OrdinalIgnoreCase),
            $"expected one line naming '{cause}': {result}");
    }

    [Fact]
    public async Task AFullDiskAnswers503AndNotReadyThenWritesResumeWithNothingLost()
    {
        var client = server.Client;
        var before = TestCall.NewId();
        using (var put = await PutAsync(before))
        {
            await put.JsonAsync(HttpStatusCode.Created);
        }

        var filler = await server.Store.FillAsync();
        try
        {
            using (var ready = await client.GetAsync("/readyz", TestContext.Current.CancellationToken))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
                Assert.Contains("full", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            }
            // Enough writes to need a new page of the file, whatever room the last one had.
            HttpResponseMessage? refused = null;
            for (var i = 0; i < 50 && refused is null; i++)
            {
                var response = await PutAsync(TestCall.NewId());
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    refused = response;
                }
                else
                {
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                    response.Dispose();
                }
            }
            Assert.NotNull(refused);
            using (refused)
            {
                Assert.Contains("full", await refused.ErrorAsync(HttpStatusCode.ServiceUnavailable, "server_busy"), StringComparison.Ordinal);
                Assert.NotNull(refused.Headers.RetryAfter);
            }
            using (var read = await client.GetAsync($"/api/v1/calls/{before}", server.Writer))
            {
                await read.JsonAsync(HttpStatusCode.OK);
            }

            // The CLI on the same full disk: one line naming the cause, and the store as it was.
            var import = await server.Store.RunWithInputAsync(
                string.Join('\n', Enumerable.Range(0, 20000).Select(i => TestCall.Completed($"call_full_{i:D5}").ToJson())), "import", "-", "--workspace", FaultServer<TmpfsSqliteStore>.Workspace);
            AssertOneLine(import, "full");
        }
        finally
        {
            File.Delete(filler);
        }

        using (var ready = await client.GetAsync("/readyz", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        var after = TestCall.NewId();
        using (var put = await PutAsync(after))
        {
            await put.JsonAsync(HttpStatusCode.Created);
        }
        Assert.Equal(["ok"], await server.Store.QueryAsync("PRAGMA integrity_check"));
        using var list = await client.GetAsync("/api/v1/calls?limit=1", server.Writer);
        Assert.Equal((await server.Store.ExportLinesAsync("--workspace", FaultServer<TmpfsSqliteStore>.Workspace)).Length, (await list.JsonAsync(HttpStatusCode.OK)).GetProperty("count").GetInt64());
        Assert.Empty(await server.Store.QueryAsync("SELECT id FROM calls WHERE id LIKE 'call_full_%'"));

        // The outage was logged once with its end, not once per refused write.
        Assert.Contains("The disk holding the store is full", server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("An unhandled exception has occurred", server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReadOnlyStoreIsRefusedInOneLineByServeAndImport()
    {
        // A store of its own: a file system cannot become read-only under a server that has files open for writing.
        await using var store = new TmpfsSqliteStore();
        await store.InitializeAsync();
        await store.SucceedAsync("migrate");
        await store.RemountAsync(readOnly: true);
        try
        {
            AssertOneLine(await store.RunAsync("serve", "--urls", "http://127.0.0.1:0"), "read-only");
            AssertOneLine(await store.RunWithInputAsync(TestCall.Completed("call_ro").ToJson(), "import", "-"), "read-only");
        }
        finally
        {
            await store.RemountAsync(readOnly: false);
        }
    }
}
