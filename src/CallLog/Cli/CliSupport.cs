using System.CommandLine;
using CallLog.Storage;
using CallLog.Workspaces;

namespace CallLog.Cli;

/// <summary>What every command shares: the store option, the workspace option, and how failures are reported.</summary>
internal static class CliSupport
{
    public static readonly Option<string> Db = new("--db")
    {
        Description = "The store: a SQLite file path, or postgres://user:password@host:5432/dbname. Also read from CALLLOG_DB.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CALLLOG_DB") is { Length: > 0 } db ? db : "calllog.db",
    };

    public static Option<string> WorkspaceOption() => new("--workspace")
    {
        Description = "The workspace; it exists once it is named.",
        DefaultValueFactory = _ => WorkspaceStore.Default,
    };

    /// <summary>Opens the store named by --db and brings its schema up to date; prints why not and returns null otherwise.</summary>
    public static Database? OpenDatabase(ParseResult parse)
    {
        if (!Database.TryOpen(parse.GetValue(Db)!, out var database, out var error))
        {
            Fail(error);
            return null;
        }
        if (database.Migrate() is { } migrationError)
        {
            Fail(migrationError);
            return null;
        }
        return database;
    }

    public static string? Workspace(ParseResult parse, Option<string> option)
    {
        var name = parse.GetValue(option)!;
        if (WorkspaceStore.Validate(name) is { } error)
        {
            Fail(error);
            return null;
        }
        return name;
    }

    /// <summary>"1 call", "1,000 calls".</summary>
    public static string Calls(long count) => count == 1 ? "1 call" : $"{count:N0} calls";

    /// <summary>An exception no command caught, as the one line a user needs: the store's or the file system's own words.</summary>
    public static string Describe(Exception error) => error switch
    {
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_FULL } =>
            $"the disk holding the store is full ({error.Message})",
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_READONLY } =>
            $"the store cannot be written (a read-only file or file system; {error.Message})",
        System.Data.Common.DbException => $"the store failed: {error.Message}",
        IOException or UnauthorizedAccessException => error.Message,
        _ => $"{error.GetType().Name}: {error.Message}",
    };

    public static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 1;
    }
}
