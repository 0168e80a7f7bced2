using Microsoft.AspNetCore.Diagnostics;

namespace CallLog.Errors;

internal static class ApiErrorHandling
{
    /// <summary>
    /// Every failure leaves as Klen's JSON error body: unexpected exceptions become a bare
    /// <c>server_error</c> (the details go to the log, never to the client), and any response that
    /// would leave with an error status and no body (unknown route, wrong method) gets one.
    /// </summary>
    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => WriteAsync(context.Response, StatusCodes.Status500InternalServerError,
                new ApiError(ErrorCodes.ServerError, "An unexpected server error occurred.")),
            // The framework logs the exception once; we add nothing that could echo request data.
            StatusCodeSelector = _ => StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            var (code, message) = ErrorCodes.ForStatus(http.Response.StatusCode, http.Request.Method, http.Request.Path);
            return WriteAsync(http.Response, http.Response.StatusCode, new ApiError(code, message));
        });
        // A client that hung up gets no answer, and its canceled (or interrupted) query is not an error.
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
        });
        return app;
    }

    private static Task WriteAsync(HttpResponse response, int status, ApiError error)
    {
        response.StatusCode = status;
        return response.WriteAsJsonAsync(error, CallLogJson.Wire.ApiError, cancellationToken: response.HttpContext.RequestAborted);
    }
}
