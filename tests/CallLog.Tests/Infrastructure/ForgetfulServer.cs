using System.Net;

namespace CallLog.Tests.Infrastructure;

/// <summary>A SQLite node told to remember no page starts (<c>Paging__RememberedStarts=0</c>), over the known calls.</summary>
public sealed class ForgetfulServer : CallLogServer<SqliteStore>
{
    public string Reader { get; private set; } = "";

    protected override IDictionary<string, string> Environment => new Dictionary<string, string> { ["Paging__RememberedStarts"] = "0" };

    protected override async Task SeedAsync()
    {
        await Store.ImportAsync(KnownCalls.All);
        Reader = (await Store.CreateKeyAsync("can_read_calls")).Secret;
    }
}
