using System.Net;
using System.Text.Json;

namespace CallLog.Tests.Infrastructure;

/// <summary>A server that writes last-use times every second, so the tests need not wait ten.</summary>
public sealed class FastFlushServer<TStore> : CallLogServer<TStore> where TStore : TestStore, new()
{
    protected override IDictionary<string, string> Environment => new Dictionary<string, string> { ["Keys__FlushInterval"] = "00:00:01" };

    protected override Task SeedAsync() => Store.ImportAsync([TestCall.Completed("call_1")]);
}
