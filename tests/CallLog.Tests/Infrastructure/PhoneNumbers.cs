namespace CallLog.Tests.Infrastructure;

public static class PhoneNumbers
{
    /// <summary>An E.164 number no other test uses (nine million to draw from).</summary>
    public static string Fresh() => $"+1555{Random.Shared.NextInt64(1_000_000, 9_999_999)}";
}
