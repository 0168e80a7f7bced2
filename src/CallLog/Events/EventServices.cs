namespace CallLog.Events;

internal static class EventServices
{
    /// <summary>The feed, and the retention of the event log (<c>Events:RetentionDays</c>, <c>Events:PruneInterval</c>).</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventOptions>().Bind(configuration.GetSection("Events"))
            .Validate(o => o.RetentionDays > 0, "Events:RetentionDays must be more than 0.")
            .Validate(o => o.PruneInterval > TimeSpan.Zero, "Events:PruneInterval must be more than 0.")
            .ValidateOnStart();
        services.AddSingleton<EventFeed>();
        services.AddHostedService<EventRetention>();
        return services;
    }
}
