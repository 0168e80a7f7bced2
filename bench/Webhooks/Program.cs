using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

// Webhook delivery against a running CallLog, with a receiver of its own on 127.0.0.1 that answers 200 at once.
//   throughput --url URL --key KEY --events N [--endpoints E]: N events already in the log, replayed to E endpoints
//     at once; deliveries per second from the replay to the last receipt.
//   latency --url URL --key KEY --rate R --seconds S: PUTs of new calls at R per second to one endpoint; the time
//     from each PUT's answer (its commit is before it) to the receipt of its call.started.
var mode = args[0];
string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
var baseUrl = Arg("--url", "http://127.0.0.1:5090");
var key = Arg("--key", "");

var receipts = new ConcurrentDictionary<string, long>(); // webhook-id|path -> Stopwatch timestamp
var calls = new ConcurrentDictionary<string, long>();    // call id -> receipt timestamp (first)
var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
var receiver = builder.Build();
receiver.MapPost("/hook/{n}", async (HttpRequest request, string n) =>
{
    var now = Stopwatch.GetTimestamp();
    using var body = await JsonDocument.ParseAsync(request.Body);
    receipts.TryAdd(request.Headers["webhook-id"] + "|" + n, now);
    if (body.RootElement.GetProperty("data").TryGetProperty("call", out var call))
    {
        calls.TryAdd(call.GetProperty("id").GetString()!, now);
    }
    return Results.Ok();
});
await receiver.StartAsync();
var receiverUrl = receiver.Urls.First();

using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

async Task<JsonElement> Send(HttpMethod method, string path, string? body = null)
{
    using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };
    using var response = await client.SendAsync(request);
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
    }
    return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
}

async Task<string> CreateEndpoint(int n) =>
    (await Send(HttpMethod.Post, "/api/v1/webhooks", $$"""{"url":"{{receiverUrl}}/hook/{{n}}","events":["call.started"]}""")).GetProperty("id").GetString()!;

string Call(string id) =>
    $$"""{"agent_id":"bench_agent","status":"in-progress","type":"outbound","phone_number":"+15550001111","started_at":"2025-05-01T09:00:00Z","summary":"{{id}}"}""";

if (mode == "throughput")
{
    var events = int.Parse(Arg("--events", "20000"), CultureInfo.InvariantCulture);
    var endpoints = int.Parse(Arg("--endpoints", "1"), CultureInfo.InvariantCulture);
    var since = DateTimeOffset.UtcNow.AddSeconds(-1);
    // The events first (8 writers), before any endpoint exists: only the replay queues deliveries.
    var next = 0;
    await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) <= events)
        {
            await Send(HttpMethod.Put, $"/api/v1/calls/bench-{since.ToUnixTimeSeconds()}-{i}", Call($"t{i}"));
        }
    }));
    var ids = new List<string>();
    for (var n = 0; n < endpoints; n++)
    {
        ids.Add(await CreateEndpoint(n));
    }
    var until = DateTimeOffset.UtcNow.AddSeconds(2).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    var started = Stopwatch.GetTimestamp();
    var queued = 0;
    foreach (var id in ids)
    {
        queued += (await Send(HttpMethod.Post, $"/api/v1/webhooks/{id}/replay",
            $$"""{"since":"{{since:yyyy-MM-ddTHH:mm:ssZ}}","until":"{{until}}"}""")).GetProperty("deliveries").GetInt32();
    }
    var deadline = Stopwatch.StartNew();
    while (receipts.Count < queued && deadline.Elapsed < TimeSpan.FromMinutes(10))
    {
        await Task.Delay(20);
    }
    var last = receipts.Values.Max();
    var seconds = Stopwatch.GetElapsedTime(started, last).TotalSeconds;
    Console.WriteLine($"deliveries={receipts.Count} queued={queued} endpoints={endpoints} seconds={seconds:0.00} per_second={receipts.Count / seconds:0}");
    foreach (var id in ids)
    {
        await Send(HttpMethod.Delete, $"/api/v1/webhooks/{id}");
    }
}
else
{
    var rate = int.Parse(Arg("--rate", "100"), CultureInfo.InvariantCulture);
    var seconds = int.Parse(Arg("--seconds", "30"), CultureInfo.InvariantCulture);
    var id = await CreateEndpoint(0);
    var answered = new ConcurrentDictionary<string, long>();
    var run = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    var clock = Stopwatch.StartNew();
    var writes = new List<Task>();
    for (var i = 0; i < rate * seconds; i++)
    {
        var due = TimeSpan.FromSeconds((double)i / rate);
        if (due > clock.Elapsed)
        {
            await Task.Delay(due - clock.Elapsed);
        }
        var call = $"lat-{run}-{i}";
        writes.Add(Task.Run(async () =>
        {
            await Send(HttpMethod.Put, $"/api/v1/calls/{call}", Call(call));
            answered[call] = Stopwatch.GetTimestamp();
        }));
    }
    await Task.WhenAll(writes);
    var deadline = Stopwatch.StartNew();
    while (answered.Keys.Any(c => !calls.ContainsKey(c)) && deadline.Elapsed < TimeSpan.FromSeconds(60))
    {
        await Task.Delay(50);
    }
    var latencies = answered.Select(a => Stopwatch.GetElapsedTime(a.Value, calls[a.Key]).TotalMilliseconds).Order().ToList();
    double P(double q) => latencies[(int)Math.Min(latencies.Count - 1, Math.Floor(q * latencies.Count))];
    Console.WriteLine($"events={latencies.Count} rate={rate}/s p50_ms={P(0.50):0.0} p90_ms={P(0.90):0.0} p99_ms={P(0.99):0.0} max_ms={latencies[^1]:0.0}");
    await Send(HttpMethod.Delete, $"/api/v1/webhooks/{id}");
}
await receiver.StopAsync();
