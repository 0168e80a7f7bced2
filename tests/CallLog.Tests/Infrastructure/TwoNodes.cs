using System.Net;

namespace CallLog.Tests.Infrastructure;

/// <summary>Two serve processes started at the same moment on one fresh store: both migrate, one waits.</summary>
public sealed class TwoNodes<TStore> : CallLogServer<TStore> where TStore : TestStore, new()
{
    public HttpClient Second { get; private set; } = null!;

    public HttpClient First { get; private set; } = null!;

    protected override async Task SeedAsync()
    {
        var nodes = await Task.WhenAll(StartAsync(), StartAsync());
        (First, Second) = (nodes[0], nodes[1]);
    }
}
