using System.Security.Cryptography;
using System.Text;

namespace CallLog.Keys;

/// <summary>How key secrets look, are made and are hashed. Only the hash ever reaches the store.</summary>
internal static class ApiKeySecret
{
    public const string Prefix = "klen_";
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int SecretLength = 40;   // 40 base62 characters: about 238 bits from the CSPRNG
    private const int DisplayLength = 12;  // "klen_" and 7 characters: enough to tell keys apart, useless to guess with
    private const int MaxLength = 128;

    public static string NewSecret() => Prefix + RandomNumberGenerator.GetString(Base62, SecretLength);

    public static string NewId() => "key_" + RandomNumberGenerator.GetString(Base62, 16);

    public static string DisplayPrefix(string secret) => secret[..DisplayLength];

    /// <summary>
    /// A single unsalted SHA-256 is right for these secrets (unlike passwords): they carry 238 random
    /// bits, so there is nothing to brute-force, and a fast hash keeps the per-request lookup cheap.
    /// </summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Cheap shape check that spares the store a lookup for values that cannot be keys.</summary>
    public static bool HasKeyShape(string candidate) =>
        candidate.Length is > 5 and <= MaxLength && candidate.StartsWith(Prefix, StringComparison.Ordinal);
}
