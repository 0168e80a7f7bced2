using System.Data.Common;
using System.Text.RegularExpressions;
using CallLog.Json;
using Dapper;

namespace CallLog.Workspaces;

/// <summary>A workspace exists once it is named: writes create it, reads of an unknown one find nothing.</summary>
internal static partial class WorkspaceStore
{
    public const string Default = "default";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex NamePattern();

    public static string? Validate(string name) => NamePattern().IsMatch(name)
        ? null
        : $"--workspace '{JsonFields.Clip(name)}' is not a workspace name: use 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit.";

    public static async Task<long> EnsureAsync(DbConnection connection, DbTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO workspaces (name, created_at) VALUES (@name, @now) ON CONFLICT (name) DO NOTHING",
            new { name, now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }, transaction, cancellationToken: cancellationToken));
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT id FROM workspaces WHERE name = @name", new { name }, transaction, cancellationToken: cancellationToken));
    }

    public static Task<long?> FindAsync(DbConnection connection, string name, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM workspaces WHERE name = @name", new { name }, cancellationToken: cancellationToken));
}
