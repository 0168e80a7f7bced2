using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>The requests the README and docs/ show, run as shown, through Prism's validating proxy.</summary>
public abstract class DocumentedRequestsTests<TStore>(PrismServer<TStore> server) where TStore : TestStore, new()
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryRequestTheReadmeAndDocsShowPassesTheValidatingProxyAndWorks()
    {
        var files = new[] { Path.Combine(Repository.Root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md").Order(StringComparer.Ordinal));
        var ran = new List<string>();
        foreach (var file in files)
        {
            var commands = CurlCommand.In(file).ToList();
            if (commands.Count == 0)
            {
                continue;
            }
            // Each page's requests in a workspace of their own, in the page's order (a PUT, then its PATCH...).
            var workspace = $"docs-{Path.GetFileNameWithoutExtension(file).ToLowerInvariant()}";
            var key = (await server.Store.CreateKeyAsync(
                "can_read_calls,can_write_calls,can_read_agents,can_read_contacts,can_write_contacts,can_manage_webhooks,can_initiate_calls,can_dial", workspace)).Secret;
            var traffic = new PrismTraffic(key);
            using var http = new HttpClient(traffic) { BaseAddress = server.Prism.Address };
            foreach (var command in commands)
            {
                using var request = new HttpRequestMessage(new HttpMethod(command.Method), command.Url.PathAndQuery);
                var contentType = "application/json";
                foreach (var (name, value) in command.Headers)
                {
                    if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                    {
                        contentType = value;
                    }
                    else if (!name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                    {
                        request.Headers.TryAddWithoutValidation(name, value);
                    }
                }
                if (command.Body is not null)
                {
                    request.Content = new StringContent(command.Body, Encoding.UTF8);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
                }
                using var response = await http.SendAsync(request, Cancel);
                var body = await response.Content.ReadAsStringAsync(Cancel);
                // The one documented request that needs the internet: a webhook's host must resolve (it is checked against SSRF).
                var unresolvable = command.Url.AbsolutePath == "/api/v1/webhooks" && response.StatusCode == HttpStatusCode.BadRequest
                    && body.Contains("does not resolve", StringComparison.Ordinal);
                Assert.True(response.IsSuccessStatusCode || unresolvable, $"{command.Source}\nanswered {(int)response.StatusCode}: {body}");
                ran.Add(command.Source);
            }
            traffic.AssertClean(server.Prism.Log);
        }
        // The README's four and the reference's: a parser that found none would prove nothing.
        Assert.True(ran.Count >= 15, $"only {ran.Count} documented requests were found:\n{string.Join("\n", ran)}");
        Assert.Contains(ran, r => r.StartsWith("README.md: curl -X PATCH", StringComparison.Ordinal));
    }
}

public sealed class DocumentedRequestsTestsOnSqlite(PrismServer<SqliteStore> server) : DocumentedRequestsTests<SqliteStore>(server), IClassFixture<PrismServer<SqliteStore>>;

public sealed class DocumentedRequestsTestsOnPostgres(PrismServer<PostgresStore> server) : DocumentedRequestsTests<PostgresStore>(server), IClassFixture<PrismServer<PostgresStore>>;
