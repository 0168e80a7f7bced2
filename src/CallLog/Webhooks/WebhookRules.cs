using CallLog.Events;
using CallLog.Json;

namespace CallLog.Webhooks;

/// <summary>What an endpoint's URL and subscriptions must be, for the API and the CLI alike.</summary>
internal static class WebhookRules
{
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 500;

    /// <summary>Why the URL cannot be an endpoint's, or null.</summary>
    public static string? CheckUrl(string url) =>
        url.Length > MaxUrlLength ? $"must be at most {MaxUrlLength} characters"
        : !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0
            ? $"must be an absolute http:// or https:// URL, got \"{JsonFields.Clip(url)}\""
        : uri.UserInfo.Length > 0 ? "must not carry a user name or password"
        : uri.Fragment.Length > 0 ? "must not have a #fragment"
        : null;

    /// <summary>Why the subscriptions are not valid, or null: event types, families like <c>call.*</c>, or <c>*</c>.</summary>
    public static string? CheckEvents(IReadOnlyList<string> events) =>
        events.Count == 0 ? "must name at least one event type, a family like call.*, or *"
        : events.FirstOrDefault(e => e != "*" && !EventTypes.IsPattern(e)) is { } unknown
            ? $"has '{JsonFields.Clip(unknown)}', which is not an event type; use {string.Join(", ", EventTypes.All)}, a family like call.*, or *"
        : null;

    /// <summary>Why the URL's host may not be reached (it does not resolve, or resolves to a refused address), or null.</summary>
    public static async Task<string?> CheckReachableAsync(string url, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        if (allowPrivateNetworks)
        {
            return null;
        }
        var (_, refusal) = await PrivateNetworks.ResolveAsync(new Uri(url).IdnHost, allowPrivate: false, cancellationToken);
        return refusal;
    }
}
