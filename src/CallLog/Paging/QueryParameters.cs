using System.Globalization;
using CallLog.Errors;
using CallLog.Json;

namespace CallLog.Paging;

/// <summary>
/// The query-string rules every list endpoint shares: only known parameters, each at most once, no NUL
/// characters (no stored text has one, and PostgreSQL refuses them even in a comparison), and integers
/// written as plain digits within range. Each failure is a 400 naming the parameter.
/// </summary>
internal static class QueryParameters
{
    /// <summary>The key may always travel as <c>api_key</c>; it is not a filter.</summary>
    private const string ApiKey = "api_key";

    public static ApiError? Check(IQueryCollection query, string[] allowed)
    {
        foreach (var (name, values) in query)
        {
            if (name != ApiKey && !allowed.Contains(name, StringComparer.Ordinal))
            {
                return ApiError.Validation($"Unknown query parameter '{JsonFields.Clip(name)}'. Allowed: {string.Join(", ", allowed)}.");
            }
            if (values.Count > 1)
            {
                return ApiError.Validation($"Query parameter '{name}' was given {values.Count} times; give it once.");
            }
            if (values.ToString().Contains('\0', StringComparison.Ordinal))
            {
                return ApiError.Validation($"Query parameter '{name}' contains a NUL character (%00), which no stored text has.");
            }
        }
        return null;
    }

    public static int Int(IQueryCollection query, string name, int fallback, int min, int max, ref ApiError? error)
    {
        if (error is not null || !query.TryGetValue(name, out var raw))
        {
            return fallback;
        }
        // Digits only: "1.0", "+2", " 3" and "0x10" are all mistakes worth reporting, not guessing at.
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        error = ApiError.Validation($"{name} must be an integer from {min} to {max}; got '{JsonFields.Clip(raw!)}'.");
        return fallback;
    }
}

/// <summary>A page by number: <c>page</c> from 1, <c>limit</c> from 1 to 100.</summary>
internal readonly record struct PageRequest(int Page, int Limit)
{
    public const int MaxLimit = 100;

    public long Offset => (long)(Page - 1) * Limit;

    public static PageRequest Parse(IQueryCollection query, int defaultLimit, ref ApiError? error) =>
        new(QueryParameters.Int(query, "page", 1, 1, int.MaxValue, ref error), QueryParameters.Int(query, "limit", defaultLimit, 1, MaxLimit, ref error));

    public long Pages(long count) => (count + Limit - 1) / Limit;
}
