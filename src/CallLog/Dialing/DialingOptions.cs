namespace CallLog.Dialing;

/// <summary>Settings of the dial queue (<c>Dialing:*</c>).</summary>
internal sealed class DialingOptions
{
    /// <summary>Calls of one workspace leased or in progress at once; 0: no limit (agents may still have their own).</summary>
    public int MaxConcurrentCalls { get; set; }

    /// <summary>The longest lease a claim may ask for.</summary>
    public int MaxLeaseSeconds { get; set; } = 3600;
}
