using Microsoft.Net.Http.Headers;

namespace CallLog.Hosting;

/// <summary>
/// The web console at <c>/</c>: plain HTML, CSS and a script module from wwwroot, no build step and no
/// CDN. Its pages forbid everything but this origin (scripts, styles, API calls); recordings may play
/// from wherever the runtime stored them.
/// </summary>
internal static class WebConsole
{
    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "media-src 'self' https: http:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseWebConsole(this IApplicationBuilder app)
    {
        app.UseDefaultFiles();
        return app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                if (context.File.Name.EndsWith(".html", StringComparison.Ordinal))
                {
                    headers.ContentSecurityPolicy = Policy;
                    headers.CacheControl = "no-cache";
                }
            },
        });
    }
}
