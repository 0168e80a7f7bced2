using CallLog.Kiota;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// A server with Prism in front of it (<see cref="Prism"/>), the known calls, and a key that may do everything
/// the generated client exercises: <see cref="Kiota"/> is the client Kiota generated from docs/openapi.json,
/// talking through the proxy.
/// </summary>
public sealed class PrismServer<TStore> : CallLogServer<TStore> where TStore : TestStore, new()
{
    private PrismProxy? _prism;
    private HttpClient? _http;

    public string Key { get; private set; } = "";

    public string ReadOnly { get; private set; } = "";

    public PrismTraffic Traffic { get; private set; } = null!;

    public KiotaCallLog Kiota { get; private set; } = null!;

    public PrismProxy Prism => _prism!;

    protected override async Task SeedAsync()
    {
        await Store.ImportAsync(KnownCalls.All);
        Key = (await Store.CreateKeyAsync("can_read_calls,can_write_calls,can_read_agents,can_read_contacts,can_write_contacts")).Secret;
        ReadOnly = (await Store.CreateKeyAsync("can_read_calls")).Secret;
    }

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        if (Store.Unavailable is not null)
        {
            return;
        }
        _prism = await PrismProxy.StartAsync(Client.BaseAddress!);
        Traffic = new PrismTraffic(Key);
        _http = new HttpClient(Traffic) { BaseAddress = _prism.Address };
        Kiota = For(_http);
    }

    /// <summary>A generated client over <paramref name="http"/>, pointed at the proxy.</summary>
    public KiotaCallLog For(HttpClient http) =>
        new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = _prism!.Address.ToString().TrimEnd('/') });

    public override async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_prism is not null)
        {
            await _prism.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}
