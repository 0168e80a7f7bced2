namespace CallLog.Tests.Infrastructure;

/// <summary>A node whose way to PostgreSQL runs through a forwarder the test can cut: a partition, or a restart, on demand.</summary>
public sealed class PartitionedServer : CallLogServer<PostgresStore>
{
    public Partition Partition { get; } = new();

    public string Key { get; private set; } = "";

    /// <summary>Reads and writes calls, without a rate limit: for load across an outage.</summary>
    public string Writer { get; private set; } = "";

    /// <summary>An outage is summed up in the log every second, so a test sees the summaries.</summary>
    protected override IDictionary<string, string> Environment => new Dictionary<string, string> { ["OutageLog__SummaryInterval"] = "00:00:01" };

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
        Key = (await Store.CreateKeyAsync("can_read_calls", "default")).Secret;
        Writer = (await Store.CreateKeyAsync("can_read_calls,can_write_calls", "default", "--rate-limit", "0")).Secret;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Partition.Dispose();
    }
}
