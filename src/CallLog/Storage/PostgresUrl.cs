using System.Diagnostics.CodeAnalysis;
using Npgsql;

namespace CallLog.Storage;

/// <summary>
/// Turns <c>postgres://user:password@host:port/dbname?sslmode=require</c> into an Npgsql connection
/// string. Query parameters are passed through as connection-string keywords (Npgsql validates them),
/// and override the defaults set here.
/// </summary>
internal static class PostgresUrl
{
    public static bool TryParse(string url, [NotNullWhen(true)] out NpgsqlConnectionStringBuilder? builder, [NotNullWhen(false)] out string? error)
    {
        builder = null;
        const string Shape = "expected postgres://user:password@host:port/dbname";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            error = $"--db: not a PostgreSQL URL ({Shape}).";
            return false;
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0)
        {
            error = $"--db: the URL names no database ({Shape}).";
            return false;
        }
        var userInfo = uri.UserInfo.Split(':', 2);
        try
        {
            builder = new NpgsqlConnectionStringBuilder
            {
                Host = uri.Host,
                Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
                Database = database,
                Username = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : null,
                Password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null,
                // Every request runs the same few statements: prepared once per connection, PostgreSQL
                // stops parsing and planning them per request. ?Max%20Auto%20Prepare=0 turns it off
                // (for example behind a PgBouncer in transaction mode without prepared-statement support).
                MaxAutoPrepare = 64,
                // Few connections, each kept busy, beat many taking turns on the server's cores: the same
                // throughput at a fraction of the tail latency (docs/storage.md). 10 is HikariCP's default
                // too; ?Maximum%20Pool%20Size=N sets it per node.
                MaxPoolSize = 10,
                // Npgsql resets a connection's session state (RESET ALL, DISCARD TEMP, ...) each time it goes
                // back to the pool: one more round trip per connection use, two per list request. CallLog sets
                // no session state (its one temp table drops at commit, its one advisory lock is released
                // where it is taken), so there is nothing to reset.
                NoResetOnClose = true,
            };
            foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var (name, value) = pair.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0
                    ? (pair[..eq], pair[(eq + 1)..])
                    : (pair, "");
                builder[Uri.UnescapeDataString(name)] = Uri.UnescapeDataString(value);
            }
        }
        catch (ArgumentException ex)
        {
            builder = null;
            error = $"--db: {ex.Message}";
            return false;
        }
        if (builder.Multiplexing)
        {
            // Npgsql refuses synchronous commands on a multiplexing data source; migrations and the key
            // commands run some, so every command would fail at its first statement with a stack trace.
            builder = null;
            error = "--db: Multiplexing is not supported by CallLog; leave it out of the URL.";
            return false;
        }
        error = null;
        return true;
    }
}
