using System.Text.Json.Serialization;
using CallLog.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CallLog.Hosting;

/// <summary>What /healthz and /readyz answer: <c>ok</c>, or <c>unavailable</c> with the reason.</summary>
internal sealed record HealthStatus(string Status, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Problem = null);

/// <summary>
/// <c>/healthz</c>: the process is alive and serving (no store access, never fails while it answers).
/// <c>/readyz</c>: the store answers and has every migration this build expects; 503 otherwise. Neither
/// needs a key: load balancers and orchestrators call them.
/// </summary>
internal static class Health
{
    private const string Ready = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<StoreReadiness>("store", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        routes.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteAsync });
        return routes;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var problem = report.Entries.Values.Select(e => e.Description).FirstOrDefault(d => d is not null);
        var body = report.Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy ? new HealthStatus("ok") : new HealthStatus("unavailable", problem);
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(body, CallLogJson.Wire.HealthStatus, cancellationToken: context.RequestAborted);
    }

    private sealed class StoreReadiness(Database database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await database.CheckReadyAsync(cancellationToken) is { } problem
                ? HealthCheckResult.Unhealthy(problem)
                : HealthCheckResult.Healthy();
    }
}
