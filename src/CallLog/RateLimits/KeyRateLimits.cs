using System.Globalization;
using System.Threading.RateLimiting;
using CallLog.Authentication;
using CallLog.Errors;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CallLog.RateLimits;

/// <summary>The server-wide default budget; a key's own <c>--rate-limit</c> overrides it.</summary>
internal sealed class RateLimitOptions
{
    /// <summary>Requests per minute per key; 0 means unlimited.</summary>
    public int PerMinute { get; set; } = 600;
}

/// <summary>
/// A budget of requests per minute for each API key, kept by the framework's rate limiter (one token
/// bucket per key, in this process's memory). Over it: 429 <c>rate_limit_exceeded</c> with
/// <c>Retry-After</c>. Every limited response says what is left in <c>RateLimit-*</c> headers.
/// Requests without a valid key are not counted here: authentication refuses them first.
/// </summary>
internal static class KeyRateLimits
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddKeyRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection("RateLimits"))
            .Validate(o => o.PerMinute >= 0, "RateLimits:PerMinute must be 0 (unlimited) or a positive number of requests per minute.")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, defaults) =>
        {
            var perMinute = defaults.Value.PerMinute;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, perMinute));
            limiter.OnRejected = (rejected, cancellationToken) => RejectAsync(rejected, perMinute, cancellationToken);
        });
        return services;
    }

    /// <summary>After authentication: counts the request against its key, then adds the budget headers.</summary>
    public static IApplicationBuilder UseKeyRateLimits(this IApplicationBuilder app)
    {
        app.UseRateLimiter();
        var limiter = app.ApplicationServices.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;
        var perMinute = app.ApplicationServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.PerMinute;
        return app.Use((context, next) =>
        {
            if (Budget(context, perMinute) is { } limit)
            {
                var remaining = limiter.GetStatistics(context)?.CurrentAvailablePermits ?? 0;
                SetHeaders(context.Response, limit, remaining);
            }
            return next(context);
        });
    }

    /// <summary>The key's requests per minute, or null when unlimited or when no key authenticated.</summary>
    private static int? Budget(HttpContext context, int perMinute)
    {
        if (context.User.FindFirst(ApiKeyDefaults.KeyIdClaim) is null)
        {
            return null;
        }
        var limit = context.User.FindFirst(ApiKeyDefaults.RateLimitClaim) is { } own
            ? int.Parse(own.Value, CultureInfo.InvariantCulture)
            : perMinute;
        return limit == 0 ? null : limit;
    }

    private static RateLimitPartition<string> Partition(HttpContext context, int perMinute)
    {
        if (Budget(context, perMinute) is not { } limit)
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }
        // The limit is part of the partition: a key whose budget changes starts a bucket of its own.
        var key = $"{context.User.FindFirst(ApiKeyDefaults.KeyIdClaim)!.Value}/{limit}";
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => Bucket(limit));
    }

    /// <summary>
    /// A token bucket holding a minute's budget, refilled at exactly <paramref name="limit"/> a minute in
    /// steps of at least a second. A fixed window would report the whole window as Retry-After; the
    /// bucket reports when the next request will be allowed.
    /// </summary>
    internal static TokenBucketRateLimiterOptions Bucket(int limit)
    {
        var tokensPerPeriod = (limit + 59) / 60;
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromTicks(Window.Ticks * tokensPerPeriod / limit),
            QueueLimit = 0,
        };
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, int perMinute, CancellationToken cancellationToken)
    {
        var response = rejected.HttpContext.Response;
        var limit = Budget(rejected.HttpContext, perMinute) ?? 0;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        SetHeaders(response, limit, 0);
        await response.WriteAsJsonAsync(
            new ApiError(ErrorCodes.RateLimitExceeded, $"This key may make {limit} requests per minute; retry after {seconds} s."),
            CallLogJson.Wire.ApiError, cancellationToken: cancellationToken);
    }

    /// <summary>The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers): the policy and what is left of it.</summary>
    private static void SetHeaders(HttpResponse response, int limit, long remaining)
    {
        response.Headers["RateLimit-Policy"] = $"{limit};w={(int)Window.TotalSeconds}";
        response.Headers["RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
    }
}
