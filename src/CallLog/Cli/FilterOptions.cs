using System.CommandLine;
using CallLog.Calls;
using CallLog.Calls.List;

namespace CallLog.Cli;

/// <summary>Klen's three filters as command-line options, shared by the commands that list calls.</summary>
internal sealed class FilterOptions
{
    public Option<string?> Status { get; } = new("--status") { Description = $"Only calls with this status: {CallEnums.StatusNames}." };
    public Option<string?> Type { get; } = new("--type") { Description = $"Only calls of this type: {CallEnums.TypeNames}." };
    public Option<string?> AgentId { get; } = new("--agent-id") { Description = "Only this agent's calls (an id, or the number of assistant_<number>)." };

    public void AddTo(Command command)
    {
        command.Add(Status);
        command.Add(Type);
        command.Add(AgentId);
    }

    /// <summary>The parsed filters, or null after printing what is wrong.</summary>
    public CallConditions? Parse(ParseResult parse)
    {
        CallStatus? status = null;
        if (parse.GetValue(Status) is { } s)
        {
            if (!CallEnums.TryParseStatus(s, out var parsed))
            {
                CliSupport.Fail($"--status must be one of {CallEnums.StatusNames}.");
                return null;
            }
            status = parsed;
        }
        CallType? type = null;
        if (parse.GetValue(Type) is { } t)
        {
            if (!CallEnums.TryParseType(t, out var parsed))
            {
                CliSupport.Fail($"--type must be one of {CallEnums.TypeNames}.");
                return null;
            }
            type = parsed;
        }
        return new CallConditions(parse.GetValue(AgentId), status is { } one ? [one] : null, type is { } t2 ? [t2] : null);
    }
}
