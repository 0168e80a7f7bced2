namespace CallLog.Calls;

/// <summary>Upserts of the agent and contact a call names, shared by every writer of single rows.</summary>
internal static class CallSql
{
    public const string UpsertAgent =
        """
        INSERT INTO agents (workspace_id, id, name) VALUES (@w, @id, @name)
        ON CONFLICT (workspace_id, id) DO UPDATE SET name = excluded.name WHERE agents.name IS DISTINCT FROM excluded.name
        """;

    public const string UpsertContact =
        """
        INSERT INTO contacts (workspace_id, id, name, email, company) VALUES (@w, @id, @name, @email, @company)
        ON CONFLICT (workspace_id, id) DO UPDATE SET name = excluded.name, email = excluded.email, company = excluded.company
        """;
}
