using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace CallLog.Hosting;

/// <summary>
/// The web console at <c>/</c>: plain HTML, CSS and a script module from wwwroot, embedded in the program,
/// no build step and no CDN. Its pages forbid everything but this origin (scripts, styles, API calls); recordings may play
/// from wherever the runtime stored them.
/// </summary>
internal static class WebConsole
{
    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "media-src 'self' https: http:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>wwwroot's files as the build embedded them (flat: the folder has no subfolders).</summary>
    private static readonly EmbeddedFileProvider Files = new(typeof(WebConsole).Assembly, "CallLog.wwwroot");

    public static IApplicationBuilder UseWebConsole(this IApplicationBuilder app)
    {
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = Files });
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = Files,
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
