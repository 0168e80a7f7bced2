using System.Security.Cryptography;
using System.Text;

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// Standard Webhooks verification written from the specification, independent of the code under test:
/// the secret is <c>whsec_</c> and base64 key bytes; the signed content is <c>id.timestamp.body</c>; the
/// header is space-separated <c>v1,base64(HMAC-SHA256)</c> entries, any of which may match. The README
/// shows <see cref="Verify"/> as it is here (WebhooksTests keeps the two the same).
/// </summary>
public static class WebhookSignature
{
    public static bool Verifies(string secret, ReceivedWebhook webhook)
    {
        Assert.StartsWith("whsec_", secret);
        Assert.True(Convert.FromBase64String(secret["whsec_".Length..]).Length >= 24, "the secret carries at least 24 random bytes");
        return Verify(secret, webhook.Id, webhook.Timestamp, webhook.Signature, webhook.Body);
    }

    /// <summary>The base64 signatures of the header's <c>v1</c> entries.</summary>
    public static List<string> Signatures(string header) =>
        [.. header.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(e => e.StartsWith("v1,", StringComparison.Ordinal)).Select(e => e[3..])];

    // README: begin
    // secret: "whsec_..." as CallLog returned it; the three webhook-* headers and the raw body as received.
    static bool Verify(string secret, string id, string timestamp, string signatures, string body)
    {
        if (!long.TryParse(timestamp, out var sent) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - sent) > 300)
        {
            return false; // too old or too new: refuse replays
        }
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return signatures.Split(' ').Any(s => s.StartsWith("v1,", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(s[3..]), expected));
    }
    // README: end
}
