namespace CallLog.Tests.Infrastructure;

/// <summary>The repository the tests run from: for files the tests keep up to date (docs/openapi.json, screenshots).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CallLog.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("CallLog.slnx not found above the test binaries.");
    }
}
