// The framework ceiling: the fastest this machine serves the list endpoint's bytes over HTTP. Kestrel with
// no logging and no store; each answer is a response CallLog itself gave (read from BODIES_DIR at start,
// one file per limit: 10.json, 25.json, ...), after the same key check on the same headers.
//
//   dotnet Ceiling.dll --urls http://127.0.0.1:5198   (environment: BENCH_KEY, BODIES_DIR)
using System.Security.Cryptography;
using System.Text;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

var key = Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable("BENCH_KEY") ?? throw new InvalidOperationException("BENCH_KEY is not set"));
var bodies = Directory.GetFiles(Environment.GetEnvironmentVariable("BODIES_DIR") ?? throw new InvalidOperationException("BODIES_DIR is not set"), "*.json")
    .ToDictionary(file => Path.GetFileNameWithoutExtension(file), File.ReadAllBytes);
const string Unauthorized = """{"error":"unauthorized","message":"Missing or invalid API key."}""";

app.MapGet("/api/v1/calls", (HttpContext context) =>
{
    var presented = context.Request.Headers.Authorization.ToString() is { Length: > 7 } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
        ? header[7..]
        : context.Request.Headers["X-API-Key"].ToString();
    if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), key))
    {
        return Results.Text(Unauthorized, "application/json", Encoding.UTF8, 401);
    }
    var limit = context.Request.Query["limit"].ToString();
    return Results.Bytes(bodies.TryGetValue(limit.Length > 0 ? limit : "10", out var body) ? body : bodies["10"], "application/json");
});

app.Run();
