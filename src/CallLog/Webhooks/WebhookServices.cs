namespace CallLog.Webhooks;

internal static class WebhookServices
{
    /// <summary>Endpoints, the delivery log, and this node's dispatcher (<c>Webhooks:*</c>).</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection("Webhooks"))
            .Validate(o => o.Timeout > TimeSpan.Zero && o.Timeout <= TimeSpan.FromMinutes(5), "Webhooks:Timeout must be more than 0 and at most 5 minutes.")
            .Validate(o => o.Waits is not null, "Webhooks:RetrySchedule must be waits joined by commas, each at most 7 days, like 5s,5m,30m,2h (units ms, s, m, h, d).")
            .Validate(o => o.DisableAfter > TimeSpan.Zero, "Webhooks:DisableAfter must be more than 0.")
            .Validate(o => o.Concurrency is >= 1 and <= 100, "Webhooks:Concurrency must be 1-100.")
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.PollInterval <= TimeSpan.FromMinutes(1), "Webhooks:PollInterval must be more than 0 and at most a minute.")
            .ValidateOnStart();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<DeliveryQueue>();
        services.AddSingleton<WebhookSender>();
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }
}
