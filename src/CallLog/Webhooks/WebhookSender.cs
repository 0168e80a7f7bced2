using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Options;

namespace CallLog.Webhooks;

/// <summary>
/// Sends one attempt: a POST of the event, signed per Standard Webhooks, that succeeds on any 2xx within
/// <c>Webhooks:Timeout</c>. Redirects are not followed (a 3xx is a failure) and no proxy is used; every
/// connection checks the address it is about to reach (<see cref="PrivateNetworks"/>).
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    private const int KeptBodyBytes = 1024;

    private readonly HttpClient _client;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;

    public WebhookSender(IOptions<WebhookOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("CallLog-Webhooks/1");
    }

    public async Task<AttemptResult> SendAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.Body is null)
        {
            return new AttemptResult(null, TimeSpan.Zero, "the event was pruned from the log (Events:RetentionDays) before it could be sent", null, null);
        }
        var timestamp = _time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, attempt.Url)
        {
            Content = new StringContent(attempt.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", attempt.MessageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", WebhookSecret.Signature(attempt.MessageId, timestamp, attempt.Body, attempt.Secret, attempt.PreviousSecret));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await ReadStartAsync(response, timeout.Token);
            return new AttemptResult((int)response.StatusCode, Stopwatch.GetElapsedTime(started), null, body, RetryAfter(response));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(null, Stopwatch.GetElapsedTime(started), $"timeout: no answer within {_options.Timeout.TotalSeconds:0.###} s", null, null);
        }
        catch (HttpRequestException ex)
        {
            return new AttemptResult(null, Stopwatch.GetElapsedTime(started), Describe(ex), null, null);
        }
    }

    /// <summary>The answer's first KiB as text, without reading the rest.</summary>
    private static async Task<string?> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[KeptBodyBytes];
        var read = 0;
        int count;
        while (read < buffer.Length && (count = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += count;
        }
        return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>Retry-After on a 429 or 503, in seconds or as a date.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }
        var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - _time.GetUtcNow() : null);
        return wait is { } w && w > TimeSpan.Zero ? w : null;
    }

    private static string Describe(HttpRequestException error) => error switch
    {
        { InnerException: BlockedAddressException blocked } => "blocked: " + blocked.Message,
        { HttpRequestError: HttpRequestError.NameResolutionError } => "the host does not resolve: " + error.Message,
        { HttpRequestError: HttpRequestError.SecureConnectionError } or { InnerException: AuthenticationException } => "TLS: " + (error.InnerException?.Message ?? error.Message),
        { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } => "connection refused",
        { HttpRequestError: HttpRequestError.ResponseEnded } => "the connection closed before an answer",
        _ => error.Message,
    };

    /// <summary>Connects to the host's first allowed address; a host that resolves to a refused one fails the attempt.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var (addresses, refusal) = await PrivateNetworks.ResolveAsync(context.DnsEndPoint.Host, _options.AllowPrivateNetworks, cancellationToken);
        if (refusal is not null)
        {
            throw new BlockedAddressException(refusal);
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _client.Dispose();

    private sealed class BlockedAddressException(string message) : IOException(message);
}
