namespace CallLog.Keys;

/// <summary>Klen's permission names. A key carries any subset; each endpoint requires one.</summary>
internal static class Permissions
{
    public const string ReadCalls = "can_read_calls";
    public const string WriteCalls = "can_write_calls";

    public const string ReadAgents = "can_read_agents";
    public const string ReadContacts = "can_read_contacts";
    public const string WriteContacts = "can_write_contacts";

    public const string ManageWebhooks = "can_manage_webhooks";

    /// <summary>Klen's: place calls (POST /api/v1/calls), cancel them, keep the do-not-call list.</summary>
    public const string InitiateCalls = "can_initiate_calls";

    /// <summary>The voice runtime's: take calls from the dial queue and give them back.</summary>
    public const string Dial = "can_dial";

    public static readonly IReadOnlyList<string> All =
        [ReadCalls, WriteCalls, InitiateCalls, Dial, ReadAgents, ReadContacts, WriteContacts, ManageWebhooks];

    /// <summary>Parses "p1,p2"; returns an error message naming what is wrong, or null.</summary>
    public static string? TryParse(string value, out IReadOnlyList<string> permissions)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToArray();
        permissions = names;
        if (names.Length == 0)
        {
            return $"--permissions is empty; give one or more of: {string.Join(", ", All)}.";
        }
        var unknown = names.Where(n => !All.Contains(n)).ToArray();
        return unknown.Length == 0
            ? null
            : $"unknown permission '{unknown[0]}'; known permissions: {string.Join(", ", All)}.";
    }
}
