namespace CallLog.Calls.Import;

/// <summary>
/// What an import has written about agents and contacts, field by field: calls name the same few agents
/// and contacts over and over, so most lines would rewrite a row with itself. A line needs writing only
/// when it names an agent or contact the import has not written yet, or states a field (null included)
/// with a value the import has not written. Bounded: past a million agents or contacts it forgets them
/// and writes again, which is only slower.
/// </summary>
internal sealed class WrittenAgentsAndContacts
{
    private const int MaxEntries = 1_000_000;
    private readonly Dictionary<string, (bool Stated, string? Name)> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (Contact Values, SharedFields Stated)> _contacts = [];

    public bool IsNew(Call call)
    {
        var stated = call.Stated.HasFlag(SharedFields.AgentName);
        if (_agents.TryGetValue(call.AgentId, out var known) && (!stated || (known.Stated && known.Name == call.AgentName)))
        {
            return false;
        }
        if (_agents.Count >= MaxEntries)
        {
            _agents.Clear();
        }
        _agents[call.AgentId] = stated ? (true, call.AgentName) : (false, null);
        return true;
    }

    public bool IsNew(Contact contact, SharedFields stated)
    {
        stated &= SharedFields.ContactName | SharedFields.ContactEmail | SharedFields.ContactCompany;
        if (_contacts.TryGetValue(contact.Id, out var known))
        {
            var values = new Contact(contact.Id,
                stated.HasFlag(SharedFields.ContactName) ? contact.Name : known.Values.Name,
                stated.HasFlag(SharedFields.ContactEmail) ? contact.Email : known.Values.Email,
                stated.HasFlag(SharedFields.ContactCompany) ? contact.Company : known.Values.Company);
            if (values == known.Values && (known.Stated | stated) == known.Stated)
            {
                return false;
            }
            _contacts[contact.Id] = (values, known.Stated | stated);
            return true;
        }
        if (_contacts.Count >= MaxEntries)
        {
            _contacts.Clear();
        }
        _contacts[contact.Id] = (contact, stated);
        return true;
    }
}
