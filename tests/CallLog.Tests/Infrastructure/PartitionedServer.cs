namespace CallLog.Tests.Infrastructure;

/// <summary>A node whose way to PostgreSQL runs through a forwarder the test can cut: a partition, or a restart, on demand.</summary>
public sealed class PartitionedServer : FaultServer<PostgresStore>
{
    public Partition Partition { get; } = new();

    public string Key { get; private set; } = "";

    protected override string ServeDb
    {
        get
        {
            var port = new Uri(Store.Db).Port;
            Partition.Target = port;
            return Store.Db.Replace($":{port}/", $":{Partition.Port}/", StringComparison.Ordinal);
        }
    }

    protected override async Task SeedAsync()
    {
        await base.SeedAsync();
        Key = (await Store.CreateKeyAsync("can_read_calls", "default")).Secret;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Partition.Dispose();
    }
}
