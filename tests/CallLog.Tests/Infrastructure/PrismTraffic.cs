using System.Net.Http.Headers;

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// The HTTP handler of a client that talks through <see cref="PrismProxy"/>: it presents the key and keeps
/// what Prism said of each exchange, so a test can require that nothing was refused and nothing flagged.
/// </summary>
public sealed class PrismTraffic(string key) : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly List<string> _refused = [];
    private readonly List<string> _violations = [];

    public int Exchanges { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", key);
        var response = await base.SendAsync(request, cancellationToken);
        var exchange = $"{request.Method} {request.RequestUri!.PathAndQuery} -> {(int)response.StatusCode}";
        // Prism's own refusals are problem documents of its error types; CallLog's errors are {"error": ...}.
        var refused = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? $"{exchange}: {await response.Content.ReadAsStringAsync(cancellationToken)}"
            : null;
        var violations = response.Headers.TryGetValues("sl-violations", out var values) ? $"{exchange}: {string.Join(" ", values)}" : null;
        lock (_refused)
        {
            Exchanges++;
            if (refused is not null)
            {
                _refused.Add(refused);
            }
            if (violations is not null)
            {
                _violations.Add(violations);
            }
        }
        return response;
    }

    /// <summary>Fails unless Prism forwarded every request and found every response as the document says.</summary>
    public void AssertClean(string log)
    {
        lock (_refused)
        {
            Assert.True(Exchanges > 0, "no request went through the proxy");
            Assert.True(_refused.Count == 0, $"Prism refused {_refused.Count} request(s):\n{string.Join("\n", _refused)}\n{log}");
            Assert.True(_violations.Count == 0, $"Prism flagged {_violations.Count} response(s):\n{string.Join("\n", _violations)}\n{log}");
        }
    }
}
