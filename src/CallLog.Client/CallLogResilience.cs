using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace CallLog.Client;

/// <summary>Retries with Polly through Microsoft.Extensions.Http.Resilience: waits as long as <c>Retry-After</c> says on 429.</summary>
public static class CallLogResilience
{
    /// <summary>
    /// Registers <see cref="CallLogClient"/> as a typed HttpClient for dependency injection, with the key
    /// in the Authorization header and the retry pipeline.
    /// </summary>
    public static IHttpClientBuilder AddCallLogClient(this IServiceCollection services, Uri baseAddress, string apiKey, CallLogClientOptions? options = null)
    {
        var builder = services.AddHttpClient<CallLogClient>(http => CallLogClient.Configure(http, baseAddress, apiKey));
        builder.AddResilienceHandler("calllog", pipeline => Configure(pipeline, options ?? new CallLogClientOptions()));
        return builder;
    }

    /// <summary>The retry strategy the client uses, for a pipeline of your own.</summary>
    public static ResiliencePipelineBuilder<HttpResponseMessage> Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, CallLogClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = options.MaxRetryAttempts,
            // Retry-After is read below, so that a wait longer than allowed is not retried early instead.
            ShouldRetryAfterHeader = false,
            DelayGenerator = arguments => ValueTask.FromResult(RetryAfter(arguments.Outcome)),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = options.MaxRetryDelay,
            ShouldHandle = arguments => ValueTask.FromResult(ShouldRetry(arguments.Outcome, arguments.Context.GetRequestMessage()?.Method, options.MaxRetryDelay)),
        });
    }

    private static TimeSpan? RetryAfter(Outcome<HttpResponseMessage> outcome) => outcome.Result?.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpMethod? method, TimeSpan maxDelay)
    {
        if (outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests)
        {
            // The server did nothing, so any method may be repeated; but a wait longer than allowed is the
            // caller's decision: the call then throws CallLogException with RetryAfter.
            return RetryAfter(outcome) is not { } wait || wait <= maxDelay;
        }
        var repeatable = method == HttpMethod.Get || method == HttpMethod.Put || method == HttpMethod.Delete;
        return repeatable && (outcome.Exception is HttpRequestException or TimeoutException ||
            outcome.Result is { StatusCode: HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError });
    }
}
