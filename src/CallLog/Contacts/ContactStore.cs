using System.Data.Common;
using CallLog.Events;
using CallLog.Hosting;
using CallLog.Paging;
using CallLog.Storage;
using Dapper;

namespace CallLog.Contacts;

/// <summary>
/// Contacts of a workspace, in id order. A search is a case-insensitive substring match over name,
/// email, company and phone number: it reads the workspace's contacts (they are few next to calls);
/// no index serves a substring, which docs/scaling.md says.
/// </summary>
internal sealed class ContactStore(Database database)
{
    private const string Columns = "id AS Id, name AS Name, email AS Email, company AS Company, phone_number AS PhoneNumber";

    private const string Matches =
        """
        (lower(name) LIKE @pattern ESCAPE '\' OR lower(email) LIKE @pattern ESCAPE '\'
         OR lower(company) LIKE @pattern ESCAPE '\' OR phone_number LIKE @pattern ESCAPE '\')
        """;

    public async Task<ContactPage> ListAsync(long workspaceId, PageRequest page, string? search, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("contacts.list");
        var where = search is null ? "workspace_id = @workspaceId" : $"workspace_id = @workspaceId AND {Matches}";
        var parameters = new { workspaceId, pattern = search is null ? null : Like.Contains(search), offset = page.Offset };
        await using var connection = await database.OpenAsync(cancellationToken);
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM contacts WHERE {where}", parameters, cancellationToken: cancellationToken));
        // The limit as a literal: SQLite recompiles a statement whose LIMIT is a bound parameter at every run (CallListSql.PageQuery).
        var contacts = page.Offset >= count
            ? []
            : (await connection.QueryAsync<ContactDetail>(new CommandDefinition(
                $"SELECT {Columns} FROM contacts WHERE {where} ORDER BY id LIMIT {page.Limit} OFFSET @offset", parameters, cancellationToken: cancellationToken))).AsList();
        return new ContactPage(count, page.Page, page.Limit, page.Pages(count), contacts);
    }

    public async Task<ContactDetail?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("contacts.get");
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, null, workspaceId, id, cancellationToken);
    }

    public static Task<ContactDetail?> GetAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, long id, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<ContactDetail>(new CommandDefinition(
            $"SELECT {Columns} FROM contacts WHERE workspace_id = @workspaceId AND id = @id", new { workspaceId, id }, transaction, cancellationToken: cancellationToken));

    /// <summary>Creates or replaces a contact; the calls that name it show the new fields at once (calls join it).</summary>
    public async Task<bool> PutAsync(long workspaceId, ContactDetail contact, CancellationToken cancellationToken)
    {
        using var timer = Telemetry.Store("contacts.write");
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = new { workspaceId, contact.Id, contact.Name, contact.Email, contact.Company, contact.PhoneNumber };
        // Insert first and let the store say whether it did: of racing creates exactly one inserts (the
        // others wait on its key, then find it), where a read before the write lets each see "new".
        var created = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO contacts (workspace_id, id, name, email, company, phone_number) VALUES (@workspaceId, @Id, @Name, @Email, @Company, @PhoneNumber)
            ON CONFLICT (workspace_id, id) DO NOTHING
            """, row, transaction, cancellationToken: cancellationToken)) == 1;
        var changed = created || await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE contacts SET name = @Name, email = @Email, company = @Company, phone_number = @PhoneNumber
            WHERE workspace_id = @workspaceId AND id = @Id
              AND (name IS DISTINCT FROM @Name OR email IS DISTINCT FROM @Email OR company IS DISTINCT FROM @Company OR phone_number IS DISTINCT FROM @PhoneNumber)
            """, row, transaction, cancellationToken: cancellationToken)) > 0;
        if (changed)
        {
            // The contact as written is the contact as GET now shows it.
            await EventLog.AppendAsync(connection, transaction, workspaceId, [NewEvent.Contact(contact)], cancellationToken);
        }
        await EventLog.CommitAsync(transaction, cancellationToken);
        return created;
    }
}
