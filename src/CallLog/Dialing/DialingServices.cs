namespace CallLog.Dialing;

internal static class DialingServices
{
    public static IServiceCollection AddDialing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DialingOptions>().Bind(configuration.GetSection("Dialing"))
            .Validate(o => o.MaxConcurrentCalls >= 0, "Dialing:MaxConcurrentCalls must be 0 (no limit) or a positive number of calls.")
            .Validate(o => o.MaxLeaseSeconds >= 1, "Dialing:MaxLeaseSeconds must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<CallPlacer>();
        services.AddSingleton<DialQueue>();
        services.AddSingleton<DoNotCallList>();
        services.AddSingleton<CampaignStore>();
        return services;
    }
}
