using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// One request a receiver got: its Standard Webhooks headers, its body, when it arrived and what it was
/// answered (recorded on arrival; a late answer may never have reached the sender).
/// </summary>
public sealed record ReceivedWebhook(string Path, string Id, string Timestamp, string Signature, string Body, TimeSpan At, int Answered, bool Late)
{
    /// <summary>Answered 2xx at once: the sender got it.</summary>
    public bool Succeeded => Answered is >= 200 and < 300 && !Late;

    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
    }

    public string Type => Json.GetProperty("type").GetString()!;
}

/// <summary>What a receiver answers one request: a status, an optional Retry-After, a delay before answering.</summary>
public sealed record Answer(int Status, TimeSpan Delay = default, string? RetryAfter = null)
{
    public static readonly Answer Ok = new(200);
}

/// <summary>
/// A real HTTP receiver on 127.0.0.1 for webhook tests: every path is an endpoint of its own, answering
/// 200 unless a test scripted other answers for it (used in order, then 200 again).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Answer>> _scripts = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _loop;

    public WebhookReceiver()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    /// <summary>A fresh endpoint URL on this receiver.</summary>
    public string NewUrl() => $"http://127.0.0.1:{Port}/hook/{Guid.NewGuid():N}";

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>The next requests to <paramref name="url"/> get these answers, in order.</summary>
    public void Script(string url, params Answer[] answers)
    {
        var queue = _scripts.GetOrAdd(new Uri(url).AbsolutePath, _ => new ConcurrentQueue<Answer>());
        foreach (var answer in answers)
        {
            queue.Enqueue(answer);
        }
    }

    /// <summary>Every request to <paramref name="url"/> so far, in arrival order.</summary>
    public List<ReceivedWebhook> For(string url)
    {
        var path = new Uri(url).AbsolutePath;
        return [.. _received.Where(r => r.Path == path)];
    }

    /// <summary>Waits until <paramref name="done"/> holds for the requests to <paramref name="url"/>, or fails after <paramref name="timeout"/>.</summary>
    public async Task<List<ReceivedWebhook>> WaitAsync(string url, Func<List<ReceivedWebhook>, bool> done, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var received = For(url);
            if (done(received))
            {
                return received;
            }
            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                Assert.Fail($"the receiver got {received.Count} requests at {url} ({string.Join(", ", received.Select(r => $"{r.Type} {r.Answered}"))}) and the condition still does not hold");
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Waits for <paramref name="count"/> requests answered 2xx.</summary>
    public Task<List<ReceivedWebhook>> WaitForSuccessesAsync(string url, int count, TimeSpan? timeout = null) =>
        WaitAsync(url, r => r.Count(x => x.Succeeded) >= count, timeout);

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            var request = context.Request;
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var path = request.Url!.AbsolutePath;
            var answer = _scripts.TryGetValue(path, out var queue) && queue.TryDequeue(out var next) ? next : Answer.Ok;
            _received.Enqueue(new ReceivedWebhook(path, request.Headers["webhook-id"] ?? "", request.Headers["webhook-timestamp"] ?? "",
                request.Headers["webhook-signature"] ?? "", body, Now, answer.Status, answer.Delay > TimeSpan.Zero));
            if (answer.Delay > TimeSpan.Zero)
            {
                await Task.Delay(answer.Delay);
            }
            context.Response.StatusCode = answer.Status;
            if (answer.RetryAfter is not null)
            {
                context.Response.AddHeader("Retry-After", answer.RetryAfter);
            }
            var reply = Encoding.UTF8.GetBytes($"answered {answer.Status}");
            await context.Response.OutputStream.WriteAsync(reply);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The sender gave up (its timeout) or the receiver is closing.
        }
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
