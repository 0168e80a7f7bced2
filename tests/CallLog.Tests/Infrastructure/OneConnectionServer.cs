using System.Net;

namespace CallLog.Tests.Infrastructure;

/// <summary>A PostgreSQL node with one pooled connection that gives up after a second.</summary>
public sealed class OneConnectionServer : CallLogServer<PostgresStore>
{
    public string Writer { get; private set; } = "";

    protected override string ServeDb => Store.Db + "?Maximum%20Pool%20Size=1&Timeout=1";

    protected override async Task SeedAsync()
    {
        Writer = (await Store.CreateKeyAsync("can_read_calls,can_write_calls")).Secret;
        await Store.ImportAsync([TestCall.Completed("call_locked")]);
    }
}
