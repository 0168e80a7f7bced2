using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>What --db accepts, and the errors a person sees when it points nowhere.</summary>
public sealed class StoreOptionTests
{
    [Fact]
    public async Task ASqliteFileInAMissingDirectoryIsAClearError()
    {
        var result = await CallLogProcess.RunAsync(["migrate", "--db", "/nonexistent-dir/calllog.db"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("/nonexistent-dir", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://", "not a PostgreSQL URL")]
    [InlineData("postgres://user:pw@localhost:5432", "names no database")]
    [InlineData("postgresql://user:pw@localhost:5432/db?nosuchoption=1", "nosuchoption")]
    [InlineData("postgres://user:pw@localhost:5432/db?Multiplexing=true", "Multiplexing is not supported")]
    public async Task AMalformedPostgresUrlIsAClearError(string url, string expected)
    {
        var result = await CallLogProcess.RunAsync(["migrate", "--db", url]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnUnreachablePostgresServerIsAClearErrorThatNeverShowsThePassword()
    {
        var result = await CallLogProcess.RunAsync(["keys", "list", "--db", "postgres://calllog:s3cretPassw0rd@127.0.0.1:1/calllog"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("postgres://calllog@127.0.0.1:1/calllog", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cretPassw0rd", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
    }
}
