using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Dapper;
using DbUp.Builder;
using DbUp.Engine;

namespace CallLog.Storage;

/// <summary>
/// The one store this process talks to, chosen by <c>--db</c>: a SQLite file path, or a
/// <c>postgres://</c> URL. Every connection comes from here; the SQL itself is shared.
/// </summary>
internal abstract class Database : IDisposable
{
    /// <summary>What the user named, safe to print: a path, or the URL without its password.</summary>
    public abstract string Description { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Appended to a SELECT inside a write transaction so concurrent writers of the same row queue up
    /// instead of racing. SQLite needs nothing: its write transactions (BEGIN IMMEDIATE) already do.
    /// </summary>
    public virtual string LockRows => "";

    /// <summary>
    /// Appended to a SELECT in a transaction that claims work: the rows of <paramref name="alias"/> it
    /// returns are this node's until it commits, and rows another node holds are passed over, not waited
    /// for. SQLite needs nothing: one writer at a time.
    /// </summary>
    public virtual string ClaimRows(string alias) => "";

    /// <summary>As <see cref="LockRows"/>, for the rows of the table named <paramref name="alias"/> in the SELECT.</summary>
    public virtual string LockRowsOf(string alias) => "";

    /// <summary>
    /// <paramref name="column"/> is one of the list <paramref name="parameter"/> names: Dapper expands a list
    /// into IN (...) for SQLite and hands PostgreSQL an array.
    /// </summary>
    public virtual string InList(string column, string parameter) => $"{column} IN {parameter}";

    /// <summary>
    /// Statistics for <paramref name="tables"/> after one transaction added many rows to them. PostgreSQL's
    /// planner otherwise plans with the counts from before until autovacuum's next look: after a first
    /// 100,000-call campaign it read a claim's calls through the agent's index, 0.7 s a claim. SQLite's plans
    /// here do not depend on counts.
    /// </summary>
    public virtual Task AnalyzeAsync(DbConnection connection, string tables, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The text at <c>call.id</c> of an event's JSON <paramref name="column"/>, or null.</summary>
    public abstract string CallIdIn(string column);

    /// <summary>
    /// A column that finds a stored call in one step, for a page's ranges to carry: the page joins its
    /// rows back to the table by it instead of by (workspace_id, id), which is an index lookup and then a
    /// table lookup. Null where the primary key is the way. <paramref name="skips"/>: the range skips
    /// rows (OFFSET), which it should do reading its index alone.
    /// </summary>
    public virtual string? RowId(bool skips) => null;

    /// <summary>
    /// True where a prepared statement may settle on one generic plan, made without its parameters'
    /// values (PostgreSQL, after five runs, when that plan's estimated cost is no worse). A page whose
    /// best plan depends on those values then keeps its LIMIT a parameter, which rules the generic plan
    /// out (see <c>CallListSql.PageQuery</c>).
    /// </summary>
    public virtual bool SettlesOnGenericPlans => false;

    /// <summary>
    /// True where every statement names the workspace of each calls table it reads, so that a
    /// distributed PostgreSQL (Citus, by workspace) can route it to one shard: a page's join back to
    /// calls names it even where it reads rows by <see cref="RowId"/>.
    /// </summary>
    public virtual bool DistributesByWorkspace => false;

    /// <summary>How a phone filter (an exact number, or a prefix ending in %) reads the calls_by_phone index.</summary>
    public virtual PhoneMatch PhoneMatch => PhoneMatch.Like;

    /// <summary>What goes before a statement to have the store print its plan instead of running it (or, <paramref name="analyze"/>, as it ran).</summary>
    public abstract string ExplainPrefix(bool analyze);

    /// <summary>Runs <paramref name="sql"/> for rows read column by column (<see cref="StoreRows"/>).</summary>
    public virtual async Task<StoreRows> OpenRowsAsync(DbConnection connection, string sql, DynamicParameters parameters, CancellationToken cancellationToken) =>
        new ReaderRows(await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)));

    /// <summary>
    /// Runs <paramref name="first"/> and reads its result with <paramref name="read"/>, then opens
    /// <paramref name="rows"/> as <see cref="OpenRowsAsync"/> does: over a network as one command, one round
    /// trip instead of two. The two parameter sets' names must not overlap.
    /// </summary>
    public virtual async Task<(T First, StoreRows Rows)> OpenRowsAfterAsync<T>(
        DbConnection connection, (string Sql, DynamicParameters Parameters) first, Func<DbDataReader, CancellationToken, Task<T>> read,
        (string Sql, DynamicParameters Parameters) rows, CancellationToken cancellationToken)
    {
        first.Parameters.AddDynamicParams(rows.Parameters);
        var reader = await connection.ExecuteReaderAsync(new CommandDefinition($"{first.Sql};\n{rows.Sql}", first.Parameters, cancellationToken: cancellationToken));
        try
        {
            var result = await read(reader, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            return (result, new ReaderRows(reader));
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates or upgrades the schema with DbUp; returns an error message, or null.</summary>
    public abstract string? Migrate();

    public static bool TryOpen(string value, [NotNullWhen(true)] out Database? database, [NotNullWhen(false)] out string? error)
    {
        database = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "--db is empty: give a SQLite file path (calllog.db) or a postgres://user:password@host:5432/dbname URL.";
            return false;
        }
        if (PostgresDatabase.IsUrl(value))
        {
            if (!PostgresDatabase.TryCreate(value, out var postgres, out error))
            {
                return false;
            }
            database = postgres;
            return true;
        }
        if (!SqliteDatabase.TryCreate(value, out var sqlite, out error))
        {
            return false;
        }
        database = sqlite;
        return true;
    }

    /// <summary>DbUp's engine for this store's scripts (embedded from Migrations/&lt;folder&gt;), one transaction per script.</summary>
    protected abstract UpgradeEngine Migrations();

    protected static UpgradeEngine Migrations(UpgradeEngineBuilder builder, string folder) => builder
        .WithScriptsEmbeddedInAssembly(typeof(Database).Assembly, name => name.Contains($".Migrations.{folder}.", StringComparison.Ordinal))
        .WithTransactionPerScript()
        .LogToNowhere()
        .Build();

    protected string? Upgrade()
    {
        var result = Migrations().PerformUpgrade();
        return result.Successful ? null : MigrationFailed(result.Error);
    }

    /// <summary>For readiness: why the store could answer reads but not writes, or null. Only what can be seen without writing.</summary>
    protected virtual string? WriteProblem() => null;

    /// <summary>For readiness: the store answers a query, has every migration this build knows, and can take writes. Null when ready.</summary>
    public async Task<string?> CheckReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            var pending = Migrations().GetScriptsToExecute();
            return pending.Count == 0 ? WriteProblem() : $"{pending.Count} migration(s) not applied yet, first {pending[0].Name}";
        }
        catch (DbException ex)
        {
            return $"the store did not answer: {ex.Message}";
        }
    }

    /// <summary>Closes the connections this process keeps open.</summary>
    public abstract void Dispose();

    protected string MigrationFailed(Exception? error) =>
        $"migrating {Description} failed: {error?.Message ?? "unknown error"}";
}
