using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using DbUp;
using Microsoft.Data.Sqlite;

namespace CallLog.Storage;

/// <summary>The one store this process talks to, chosen by <c>--db</c>. Every connection comes from here.</summary>
internal sealed class Database
{
    private readonly string _connectionString;

    private Database(string path)
    {
        FilePath = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = true,
            // Microsoft.Data.Sqlite retries a busy database until the command timeout, so a server
            // reading while `calllog import` writes waits instead of failing.
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>What the user named: safe to print (a file path carries no credentials).</summary>
    public string FilePath { get; }

    public static bool TryOpen(string value, [NotNullWhen(true)] out Database? database, [NotNullWhen(false)] out string? error)
    {
        database = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "--db is empty: give a SQLite file path (for example calllog.db).";
            return false;
        }
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
            value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            error = "--db: this build stores calls in SQLite only; give a file path such as calllog.db.";
            return false;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(value));
        if (directory is not null && !Directory.Exists(directory))
        {
            error = $"--db: the directory '{directory}' does not exist.";
            return false;
        }
        database = new Database(value);
        error = null;
        return true;
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        // In WAL mode NORMAL survives an application crash and skips an fsync per commit.
        pragma.CommandText = "PRAGMA synchronous = NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Creates or upgrades the schema with DbUp; returns an error message, or null.</summary>
    public string? Migrate()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            connection.Open();
            using var wal = connection.CreateCommand();
            // WAL is a property of the file: readers (the server) and one writer (an import) no longer block each other.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }
        var result = DeployChanges.To
            .SqliteDatabase(_connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(Database).Assembly, name => name.Contains(".Migrations.Sqlite.", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        return result.Successful ? null : $"migrating {FilePath} failed: {result.Error.Message}";
    }
}
