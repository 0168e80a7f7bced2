
namespace CallLog.Authentication;

/// <summary>
/// The key a request presents, from any of Klen's three places: <c>Authorization: Bearer</c>,
/// <c>X-API-Key</c>, or the <c>api_key</c> query parameter. Ambiguity is refused, not guessed at.
/// </summary>
internal readonly record struct PresentedKey(string? Key, string? ErrorCode, string? Message)
{
    public static PresentedKey Read(HttpRequest request)
    {
        string? found = null;
        foreach (var value in request.Headers.Authorization)
        {
            var header = value ?? "";
            var space = header.IndexOf(' ', StringComparison.Ordinal);
            var scheme = space < 0 ? header : header[..space];
            if (!scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                return Fail(Errors.ErrorCodes.AuthenticationRequired, KnownSchemes.Contains(scheme)
                    ? $"The Authorization scheme '{scheme}' is not supported; send 'Authorization: Bearer <key>'."
                    : "The Authorization header has no supported scheme; send 'Authorization: Bearer <key>'.");
            }
            if (!Add(ref found, space < 0 ? "" : header[(space + 1)..].Trim()))
            {
                return Ambiguous();
            }
        }
        foreach (var value in request.Headers[ApiKeyDefaults.HeaderName])
        {
            if (!Add(ref found, (value ?? "").Trim()))
            {
                return Ambiguous();
            }
        }
        foreach (var value in request.Query[ApiKeyDefaults.QueryParameter])
        {
            if (!Add(ref found, (value ?? "").Trim()))
            {
                return Ambiguous();
            }
        }
        return string.IsNullOrEmpty(found)
            ? Fail(Errors.ErrorCodes.AuthenticationRequired, "No API key was provided. Send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.")
            : new PresentedKey(found, null, null);
    }

    /// <summary>The same key in two places is fine; two different keys is a client bug worth saying so.</summary>
    private static bool Add(ref string? found, string candidate)
    {
        if (candidate.Length == 0)
        {
            return true;
        }
        if (found is null)
        {
            found = candidate;
            return true;
        }
        return string.Equals(found, candidate, StringComparison.Ordinal);
    }

    private static PresentedKey Ambiguous() =>
        Fail(Errors.ErrorCodes.InvalidKey, "The request carries more than one API key; send exactly one.");

    private static PresentedKey Fail(string code, string message) => new(null, code, message);

    /// <summary>
    /// Schemes the error may name. Whatever else stands first in the header may be the secret itself
    /// (<c>Authorization: klen_...</c>, no scheme), so it is never echoed.
    /// </summary>
    private static readonly HashSet<string> KnownSchemes = new(
        ["Basic", "Digest", "Token", "ApiKey", "Api-Key", "Negotiate", "NTLM", "HOBA", "Mutual", "DPoP", "AWS4-HMAC-SHA256"], StringComparer.OrdinalIgnoreCase);
}

