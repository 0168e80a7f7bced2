using System.Net;
using System.Text.Json;

namespace CallLog.Tests.Infrastructure;

public sealed class CrowdedCallsServer<TStore> : CallLogServer<TStore> where TStore : TestStore, new()
{
    public string Reader { get; private set; } = "";
    public string OtherWorkspaceReader { get; private set; } = "";

    protected override async Task SeedAsync()
    {
        await Store.ImportAsync(CrowdedCalls.All, "crowd");
        await Store.ImportAsync(CrowdedCalls.All, "elsewhere");
        Reader = (await Store.CreateKeyAsync("can_read_calls", "crowd")).Secret;
        OtherWorkspaceReader = (await Store.CreateKeyAsync("can_read_calls", "elsewhere")).Secret;
    }
}
