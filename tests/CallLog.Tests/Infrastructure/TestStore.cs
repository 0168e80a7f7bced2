using System.Text.Json;

namespace CallLog.Tests.Infrastructure;

/// <summary>A fresh SQLite file in its own temp directory, and the CLI pointed at it.</summary>
internal sealed class TestStore : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("calllog-tests-");

    public string DbPath => Path.Combine(_directory.FullName, "calllog.db");

    public string PathFor(string fileName) => Path.Combine(_directory.FullName, fileName);

    public Task<CliResult> RunAsync(params string[] args) => CallLogProcess.RunAsync([.. args, "--db", DbPath]);

    public Task<CliResult> RunWithInputAsync(string stdin, params string[] args) => CallLogProcess.RunAsync([.. args, "--db", DbPath], stdin);

    public async Task<CliResult> SucceedAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>Creates a key through the CLI and returns its id and secret.</summary>
    public async Task<(string Id, string Secret)> CreateKeyAsync(string permissions, string workspace = "default", params string[] extra)
    {
        var result = await SucceedAsync(["keys", "create", "--name", "test", "--permissions", permissions, "--workspace", workspace, "--json", .. extra]);
        using var json = JsonDocument.Parse(result.Stdout);
        return (json.RootElement.GetProperty("id").GetString()!, json.RootElement.GetProperty("key").GetString()!);
    }

    public async Task ImportAsync(IEnumerable<TestCall> calls, string workspace = "default")
    {
        var file = PathFor($"import-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllLinesAsync(file, calls.Select(c => c.ToJson()));
        await SucceedAsync("import", file, "--workspace", workspace);
    }

    public void Dispose()
    {
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A server process may still be letting go of the file; the OS cleans temp anyway.
        }
    }
}
