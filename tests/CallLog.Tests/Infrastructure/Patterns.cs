using System.Text.RegularExpressions;

namespace CallLog.Tests.Infrastructure;

public static partial class Patterns
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    public static partial Regex SeedTimestamp();

    [GeneratedRegex("^klen_[0-9A-Za-z]{32,}$")]
    public static partial Regex SecretShape();

    [GeneratedRegex(@"klen_[0-9A-Za-z]{32,}")]
    public static partial Regex SecretInText();
}
