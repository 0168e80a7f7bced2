namespace CallLog.Events;

internal static class EventServices
{
    /// <summary>The feed, and the retention of the event log (<c>Events:RetentionDays</c>, <c>Events:PruneInterval</c>).</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventOptions>().Bind(configuration.GetSection("Events"))
            .Validate(o => o.RetentionDays is > 0 and <= 36_500, "Events:RetentionDays must be more than 0 and at most 36500 (100 years).")
            .Validate(o => o.PruneInterval > TimeSpan.Zero, "Events:PruneInterval must be more than 0.")
            .ValidateOnStart();
        services.AddSingleton<EventFeed>();
        services.AddHostedService<EventRetention>();
        return services;
    }
}
