using CallLog.Agents;
using CallLog.Authentication;
using CallLog.Calls;
using CallLog.Calls.ById;
using CallLog.Calls.List;
using CallLog.Contacts;
using CallLog.Dialing;
using CallLog.Docs;
using CallLog.Errors;
using CallLog.Events;
using CallLog.Keys;
using CallLog.RateLimits;
using CallLog.Storage;
using CallLog.Webhooks;

namespace CallLog.Hosting;

/// <summary>The HTTP service: a table of contents of what it adds and maps.</summary>
internal static class WebApp
{
    public static async Task<WebApplication> BuildAsync(Database database, string urls, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Settings: the defaults built in, then appsettings.json beside the program, the environment, the command line.
        builder.Configuration.AddBuiltInSettings();
        builder.WebHost.UseUrls(urls);

        // Logging: the framework's own request line prints raw query strings (api_key); ours redacts them.
        // Written to the console in batches (ConsoleLogs).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        // A failed start (a port in use, a setting out of range) is reported by `serve` in one line; the host
        // would log it first with its stack trace. Only the host's errors before the start are dropped.
        WebApplication? app = null;
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => level >= LogLevel.Information &&
            (level < LogLevel.Error || app is { Lifetime.ApplicationStarted.IsCancellationRequested: true }));
        builder.Logging.AddConsoleLogs(builder.Configuration);

        // Store: one database object for the whole process.
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<KeyStore>();
        builder.Services.AddSingleton<CallList>();
        builder.Services.AddSingleton<PageStarts>();
        builder.Services.AddOptions<PagingOptions>().Bind(builder.Configuration.GetSection("Paging"))
            .Validate(o => o.RememberedStarts >= 0, "Paging:RememberedStarts must be 0 (remember none) or more.")
            .ValidateOnStart();
        builder.Services.AddSingleton<CursorCodec>();
        builder.Services.AddSingleton<CallWrites>();
        builder.Services.AddSingleton<AgentStore>();
        builder.Services.AddSingleton<ContactStore>();

        // JSON: source-generated, snake_case, Klen's timestamp form.
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, CallLogJson.Wire);
            o.SerializerOptions.Encoder = CallLogJson.Wire.Options.Encoder;
            o.SerializerOptions.PropertyNamingPolicy = CallLogJson.Wire.Options.PropertyNamingPolicy;
            o.SerializerOptions.Converters.Add(new UtcSecondsConverter());
            // Numbers are numbers: the web default of also reading "12" would make every integer "integer or string" in the OpenAPI document.
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });

        // Events: the log every write appends to, its feed, its retention.
        builder.Services.AddEvents(builder.Configuration);

        // Webhooks: endpoints, the delivery log, and this node's share of the deliveries.
        builder.Services.AddWebhooks(builder.Configuration);

        // Dialing: placing calls and campaigns, the dial queue runtimes claim from, the do-not-call list.
        builder.Services.AddDialing(builder.Configuration);

        // Errors: Klen's error body for every failure; store outages logged once, not per request.
        builder.Services.AddApiErrors(builder.Configuration);

        // Operations: health, readiness, metrics.
        builder.Services.AddHealth();
        builder.Services.AddTelemetry();

        // Contract: OpenAPI document and docs.
        builder.Services.AddOpenApiDocs();

        // Security: API keys, one policy per permission; X-Forwarded-* only from configured proxies.
        builder.Services.AddProxyHeaders(builder.Configuration);
        builder.Services.AddApiKeyAuthentication(builder.Configuration);
        builder.Services.AddKeyRateLimits(builder.Configuration);

        app = builder.Build();
        // Before the first request: every node signs and checks cursors with the store's one key.
        await app.Services.GetRequiredService<CursorCodec>().InitializeAsync(cancellationToken);
        app.UseForwardedHeaders();
        app.UseRequestIds();
        app.UseRequestLogging();
        app.UseApiErrors();
        app.UseWebConsole();
        app.UseAuthentication();
        app.UseKeyRateLimits();
        app.UseAuthorization();

        app.MapOpenApiDocs();
        app.MapHealth();
        app.MapTelemetry();
        app.MapCalls();
        app.MapAgents();
        app.MapContacts();
        app.MapEvents();
        app.MapWebhooks();
        app.MapDialing();
        app.MapCampaigns();
        return app;
    }
}
