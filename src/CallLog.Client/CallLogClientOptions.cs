namespace CallLog.Client;

/// <summary>How the client retries.</summary>
public sealed class CallLogClientOptions
{
    /// <summary>
    /// Retries of one request after a 429 (any method: the server did nothing), or after a network error,
    /// 408 or 5xx on GET, PUT and DELETE (which are safe to repeat). Default 3.
    /// </summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>
    /// The longest the client waits before one retry. A 429 whose <c>Retry-After</c> asks for longer is not
    /// retried: the call throws <see cref="CallLogException"/> with <see cref="CallLogException.RetryAfter"/>.
    /// Default one minute.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);
}
