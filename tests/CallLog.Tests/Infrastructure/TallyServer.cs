using System.Net;
using System.Text.Json;

namespace CallLog.Tests.Infrastructure;

public sealed class TallyServer<TStore> : CallLogServer<TStore> where TStore : TestStore, new()
{
    public string Reader { get; private set; } = "";

    protected override async Task SeedAsync() => Reader = (await Store.CreateKeyAsync("can_read_calls")).Secret;
}
