using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CallLog.Errors;

internal static class ApiErrorHandling
{
    /// <summary>What <see cref="UseApiErrors"/> needs: the log of store outages, with its interval from <c>OutageLog:SummaryInterval</c>.</summary>
    public static IServiceCollection AddApiErrors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OutageLogOptions>().Bind(configuration.GetSection("OutageLog"))
            .Validate(o => o.SummaryInterval > TimeSpan.Zero, "OutageLog:SummaryInterval must be a positive time span, such as 00:00:10.")
            .ValidateOnStart();
        services.AddSingleton<StoreOutages>();
        services.AddHostedService(provider => provider.GetRequiredService<StoreOutages>());
        return services;
    }

    /// <summary>
    /// Every failure leaves as Klen's JSON error body: unexpected exceptions become a bare
    /// <c>server_error</c> (the details go to the log, never to the client), and any response that
    /// would leave with an error status and no body (unknown route, wrong method) gets one.
    /// </summary>
    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                if (Unavailable(error) is { } unavailable)
                {
                    context.RequestServices.GetRequiredService<StoreOutages>().Record(unavailable.Message, error!);
                    context.Response.Headers.RetryAfter = unavailable.RetryAfter;
                    return WriteAsync(context.Response, StatusCodes.Status503ServiceUnavailable, new ApiError(ErrorCodes.Busy, unavailable.Message));
                }
                return WriteAsync(context.Response, StatusCodes.Status500InternalServerError,
                    new ApiError(ErrorCodes.ServerError, "An unexpected server error occurred."));
            },
            // The framework logs an unexpected exception once; we add nothing that could echo request data.
            // A store outage is logged by StoreOutages instead, once for all the requests it fails.
            SuppressDiagnosticsCallback = handled => Unavailable(handled.Exception) is not null,
            StatusCodeSelector = error => Unavailable(error) is not null ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            var (code, message) = ErrorCodes.ForStatus(http.Response.StatusCode, http.Request.Method, http.Request.Path);
            return WriteAsync(http.Response, http.Response.StatusCode, new ApiError(code, message));
        });
        // A client that hung up gets no answer, and its canceled (or interrupted) query is not an error.
        // A body the server could not read (broken chunked framing, cut short, sent too slowly) is the
        // client's error, answered with the status the server chose and its reason; nothing is logged.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception) when (context.RequestAborted.IsCancellationRequested)
            {
                context.Response.StatusCode = 499;
            }
            catch (BadHttpRequestException bad) when (!context.Response.HasStarted)
            {
                var (code, _) = ErrorCodes.ForStatus(bad.StatusCode, context.Request.Method, context.Request.Path);
                await WriteAsync(context.Response, bad.StatusCode, new ApiError(code, $"The request could not be read: {bad.Message}"));
            }
        });
        return app;
    }

    /// <summary>
    /// Failures of the store, not of the request, answered 503 with a time to retry instead of 500: Npgsql
    /// gave up waiting for a pooled connection (all of Maximum Pool Size in use for Timeout seconds) or for
    /// the server's answer; or PostgreSQL cannot be reached or is shutting down, restarting or out of
    /// connections or disk (what Npgsql calls transient: also a deadlock, which CallLog's one-call writes
    /// have not shown); or SQLite's file stayed locked past the busy timeout (an import holding it), its
    /// disk is full, or it cannot be written at all. Null for anything else.
    /// </summary>
    private static (string Message, string RetryAfter)? Unavailable(Exception? error) => error switch
    {
        NpgsqlException { InnerException: TimeoutException } =>
            ("The store is saturated (no free connection, or no answer in time); retry in a second.", "1"),
        NpgsqlException { IsTransient: true } =>
            ("The store cannot be reached, is restarting or is out of resources; retry in a few seconds.", "5"),
        SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED } =>
            ("The store is locked by another process (an import, perhaps); retry in a few seconds.", "5"),
        SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_FULL } =>
            ("The disk holding the store is full; writes resume once space is freed.", "30"),
        SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_READONLY } =>
            ("The store cannot be written (its file or file system is read-only).", "30"),
        _ => null,
    };

    private static Task WriteAsync(HttpResponse response, int status, ApiError error)
    {
        response.StatusCode = status;
        return response.WriteAsJsonAsync(error, CallLogJson.Wire.ApiError, cancellationToken: response.HttpContext.RequestAborted);
    }
}
