namespace CallLog.Tests.Infrastructure;

/// <summary>
/// A server for fault tests: a key that reads and writes calls in workspace "faults" without a rate limit
/// (bursts and load outrun any budget), outages summed up in the log every second, and nodes the test may
/// kill and start again.
/// </summary>
public class FaultServer<TStore> : CallLogServer<TStore> where TStore : TestStore, new()
{
    public const string Workspace = "faults";

    private HttpClient? _restarted;

    public string Writer { get; private set; } = "";

    /// <summary>The node that serves now: the first, or the one started after a kill.</summary>
    public HttpClient Node => _restarted ?? Client;

    public async Task<HttpClient> RestartAsync() => _restarted = await StartAsync();

    /// <summary>A request with <see cref="Writer"/>'s key and, when given, a JSON body.</summary>
    public HttpRequestMessage Request(HttpMethod method, string path, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", Writer);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }
        return request;
    }

    protected override IDictionary<string, string> Environment => new Dictionary<string, string> { ["OutageLog__SummaryInterval"] = "00:00:01" };

    protected override async Task SeedAsync() =>
        Writer = (await Store.CreateKeyAsync("can_read_calls,can_write_calls", Workspace, "--rate-limit", "0")).Secret;
}
