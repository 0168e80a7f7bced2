namespace CallLog.Calls;

/// <summary>
/// Upserts of the agent and contact a call names, shared by every writer of single rows, and the parts of
/// the importers' call upsert (SQLite's row by row, PostgreSQL's from its staged lines).
/// </summary>
internal static class CallSql
{
    /// <summary>A new agent gets the name as given; a known one only when the write stated it (<c>@setName</c>).</summary>
    public const string UpsertAgent =
        """
        INSERT INTO agents (workspace_id, id, name) VALUES (@w, @id, @name)
        ON CONFLICT (workspace_id, id) DO UPDATE SET name = excluded.name WHERE @setName AND agents.name IS DISTINCT FROM excluded.name
        """;

    /// <summary>A new contact gets the fields as given; a known one keeps each field the write did not state, and is written only when one changes.</summary>
    public const string UpsertContact =
        """
        INSERT INTO contacts (workspace_id, id, name, email, company) VALUES (@w, @id, @name, @email, @company)
        ON CONFLICT (workspace_id, id) DO UPDATE SET
            name = CASE WHEN @setName THEN excluded.name ELSE contacts.name END,
            email = CASE WHEN @setEmail THEN excluded.email ELSE contacts.email END,
            company = CASE WHEN @setCompany THEN excluded.company ELSE contacts.company END
        WHERE (@setName AND contacts.name IS DISTINCT FROM excluded.name)
           OR (@setEmail AND contacts.email IS DISTINCT FROM excluded.email)
           OR (@setCompany AND contacts.company IS DISTINCT FROM excluded.company)
        """;

    /// <summary>The columns an import writes, in the order of its VALUES or SELECT.</summary>
    public const string InsertCall =
        """
        INSERT INTO calls (workspace_id, id, agent_id, status, type, phone_number, started_at, ended_at,
                           duration_seconds, summary, recording_url, contact_id)
        """;

    /// <summary>A re-imported call takes the line's values and a new version.</summary>
    public const string UpdateCallOnConflict =
        """
        ON CONFLICT (workspace_id, id) DO UPDATE SET
            agent_id = excluded.agent_id, status = excluded.status, type = excluded.type,
            phone_number = excluded.phone_number, started_at = excluded.started_at, ended_at = excluded.ended_at,
            duration_seconds = excluded.duration_seconds, summary = excluded.summary,
            recording_url = excluded.recording_url, contact_id = excluded.contact_id, version = calls.version + 1
        """;
}
