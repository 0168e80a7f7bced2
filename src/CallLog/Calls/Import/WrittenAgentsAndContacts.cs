namespace CallLog.Calls.Import;

/// <summary>
/// The agents and contacts an import has written, with the values written: calls name the same few
/// agents and contacts over and over, so most upserts would rewrite a row with itself. Bounded: past a
/// million agents or contacts it forgets them and writes again, which is only slower.
/// </summary>
internal sealed class WrittenAgentsAndContacts
{
    private const int MaxEntries = 1_000_000;
    private readonly Dictionary<string, string?> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Contact> _contacts = [];

    public bool IsNew(string agentId, string? name)
    {
        if (_agents.TryGetValue(agentId, out var known) && known == name)
        {
            return false;
        }
        if (_agents.Count >= MaxEntries)
        {
            _agents.Clear();
        }
        _agents[agentId] = name;
        return true;
    }

    public bool IsNew(Contact contact)
    {
        if (_contacts.TryGetValue(contact.Id, out var known) && known == contact)
        {
            return false;
        }
        if (_contacts.Count >= MaxEntries)
        {
            _contacts.Clear();
        }
        _contacts[contact.Id] = contact;
        return true;
    }
}
