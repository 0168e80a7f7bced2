namespace CallLog.Tests.Infrastructure;

/// <summary>Tests that drive the CLI against a fresh, empty store of one kind per test.</summary>
public abstract class StoreTests<TStore> : IAsyncLifetime where TStore : TestStore, new()
{
    protected TStore Store { get; } = new();

    public async ValueTask InitializeAsync() => await Store.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Another empty store of the same kind.</summary>
    protected static async Task<TStore> NewStoreAsync()
    {
        var store = new TStore();
        await store.InitializeAsync();
        return store;
    }
}
