using System.Globalization;
using System.Text.RegularExpressions;

namespace CallLog.Webhooks;

/// <summary>The <c>Webhooks</c> settings: how deliveries are timed, retried, limited and guarded.</summary>
internal sealed partial class WebhookOptions
{
    /// <summary>An attempt that has no 2xx answer within this time has failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The waits before each retry, as one comma-separated setting (so that an override replaces the whole
    /// list): <c>5s,5m,30m,2h</c>; units ms, s, m, h, d. After the last wait's attempt the delivery has failed.
    /// </summary>
    public string RetrySchedule { get; set; } = "";

    /// <summary>An endpoint whose every attempt has failed for this long is disabled.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Attempts in flight at once to one endpoint, over every node.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>How often a node looks for new events and due retries when nothing woke it sooner.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Loopback, private, link-local and multicast targets: refused unless this is true (SSRF).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long an attempt's claim holds before another node may take the delivery over (its node died).</summary>
    public TimeSpan Lease => Timeout * 2;

    private TimeSpan[]? _waits;

    /// <summary>The parsed <see cref="RetrySchedule"/>, or null when it does not parse.</summary>
    public TimeSpan[]? Waits => _waits ??= ParseSchedule(RetrySchedule);

    /// <summary>The wait before the retry after attempt <paramref name="attempt"/> (1-based), with ±10% jitter; null when none is left.</summary>
    public TimeSpan? RetryAfter(int attempt) =>
        Waits is { } waits && attempt <= waits.Length ? waits[attempt - 1] * (0.9 + (Random.Shared.NextDouble() * 0.2)) : null;

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)$")]
    private static partial Regex Wait();

    internal static TimeSpan[]? ParseSchedule(string text)
    {
        var waits = new List<TimeSpan>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var match = Wait().Match(part);
            if (!match.Success)
            {
                return null;
            }
            var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            waits.Add(match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            });
        }
        return waits.Count > 0 && waits.All(w => w <= TimeSpan.FromDays(7)) ? [.. waits] : null;
    }
}
