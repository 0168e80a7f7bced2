using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Dapper;
using DbUp;
using DbUp.Engine;
using Npgsql;

namespace CallLog.Storage;

/// <summary>PostgreSQL through one pooled <see cref="NpgsqlDataSource"/> for the whole process.</summary>
internal sealed class PostgresDatabase : Database
{
    // Any fixed number works; it only has to be the same for every CallLog node on a database.
    private const long MigrationLockId = 0x43616C6C4C6F67; // "CallLog"

    private readonly string _connectionString;
    private readonly string _description;

    public override bool SettlesOnGenericPlans => true;

    public override bool DistributesByWorkspace => true;

    /// <summary>
    /// The row version's place in the heap, which the page's join reads directly (a TID scan: one page)
    /// instead of descending calls_pkey first (several more pages). Stable within the statement's
    /// snapshot. Reading it visits the heap for each entry, where a range that only skips reads its index
    /// alone (an index-only scan), so not for ranges with an OFFSET.
    /// </summary>
    public override string? RowId(bool skips) => skips ? null : "ctid";

    private PostgresDatabase(string connectionString, string description)
    {
        _connectionString = connectionString;
        _description = description;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public NpgsqlDataSource DataSource { get; }

    public override string Description => _description;

    public override string LockRows => "FOR UPDATE OF c";

    public override string LockRowsOf(string alias) => $" FOR UPDATE OF {alias}";

    public override string ClaimRows(string alias) => $" FOR UPDATE OF {alias} SKIP LOCKED";

    public override string InList(string column, string parameter) => $"{column} = ANY({parameter})";

    public override Task AnalyzeAsync(DbConnection connection, string tables, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition($"ANALYZE {tables}", cancellationToken: cancellationToken));

    public override string CallIdIn(string column) => $"({column}::jsonb #>> '{{call,id}}')";

    public override string ExplainPrefix(bool analyze) =>
        analyze ? "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) " : "EXPLAIN (COSTS OFF) ";

    public static bool IsUrl(string value) =>
        value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
        value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    public static bool TryCreate(string url, [NotNullWhen(true)] out PostgresDatabase? database, [NotNullWhen(false)] out string? error)
    {
        database = null;
        if (!PostgresUrl.TryParse(url, out var builder, out error))
        {
            return false;
        }
        var description = $"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
        database = new PostgresDatabase(builder.ConnectionString, description);
        return true;
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await DataSource.OpenConnectionAsync(cancellationToken);

    public override void Dispose() => DataSource.Dispose();

    protected override UpgradeEngine Migrations() => Migrations(DeployChanges.To.PostgresqlDatabase(_connectionString), "Postgres");

    public override string? Migrate()
    {
        try
        {
            // Several nodes may start at once on one database: the first takes the lock and migrates,
            // the others wait for it and then find nothing left to do.
            using var lockConnection = DataSource.OpenConnection();
            using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@id)", lockConnection))
            {
                take.Parameters.AddWithValue("id", MigrationLockId);
                take.ExecuteNonQuery();
            }
            try
            {
                return Upgrade();
            }
            finally
            {
                using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@id)", lockConnection);
                release.Parameters.AddWithValue("id", MigrationLockId);
                release.ExecuteNonQuery();
            }
        }
        catch (NpgsqlException ex)
        {
            // The message names the host and what went wrong; the connection string (with its password) never appears.
            return MigrationFailed(ex);
        }
    }
}
