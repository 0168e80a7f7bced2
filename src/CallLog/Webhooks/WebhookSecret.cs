using System.Security.Cryptography;
using StandardWebhooks;

namespace CallLog.Webhooks;

/// <summary>
/// Signing secrets in the Standard Webhooks form: <c>whsec_</c> and the base64 of 32 random bytes. The
/// store keeps them as they are (signing needs the bytes); the API shows one only when it is made.
/// </summary>
internal static class WebhookSecret
{
    public const string Prefix = "whsec_";

    /// <summary>How long a rotated-out secret keeps signing beside the new one.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromHours(24);

    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string NewId() => "wh_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>The <c>webhook-signature</c> header: <c>v1,</c> and the signature for each secret, space-separated.</summary>
    public static string Signature(string messageId, DateTimeOffset timestamp, string body, string secret, string? previousSecret)
    {
        var current = new StandardWebhook(secret).Sign(messageId, timestamp, body);
        return previousSecret is null ? current : current + " " + new StandardWebhook(previousSecret).Sign(messageId, timestamp, body);
    }
}
