using System.Net;

namespace CallLog.Tests.Infrastructure;

/// <summary>A SQLite node with a few calls and a reader key.</summary>
public sealed class SqliteReadServer : CallLogServer<SqliteStore>
{
    public string Reader { get; private set; } = "";

    protected override async Task SeedAsync()
    {
        Reader = (await Store.CreateKeyAsync("can_read_calls")).Secret;
        await Store.ImportAsync([TestCall.Completed("call_one"), TestCall.Completed("call_two")]);
    }
}
