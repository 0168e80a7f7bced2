using System.Net;
using System.Text.RegularExpressions;

namespace CallLog.Tests.Infrastructure;

/// <summary>The README's first command: serve --demo on a database that does not exist yet.</summary>
public sealed class DemoServer<TStore> : CallLogServer<TStore> where TStore : TestStore, new()
{
    protected override IEnumerable<string> ServeOptions => ["--demo"];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        if (Store.Unavailable is null)
        {
            // A second `serve --demo` on the same, now filled, store: no second data set, a fresh key.
            await StartAsync();
        }
    }
}
