using Microsoft.Extensions.FileProviders;

namespace Ambassadors.Web.Http;

/// <summary>
/// The pages' stylesheet and script under /assets, and /favicon.ico. They are embedded in the assembly (not a wwwroot
/// folder) because the service's content root is wherever it was started. The CSP allows no inline script or style, so
/// everything a page runs or draws with comes from here.
/// </summary>
public static class SiteAssets
{
    public const string RequestPath = "/assets";

    public static IApplicationBuilder UseSiteAssets(this IApplicationBuilder app)
    {
        var assembly = typeof(SiteAssets).Assembly;
        // Revalidated on each use (the ETag answers 304), so a new release's stylesheet is never served stale.
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = RequestPath,
            FileProvider = new EmbeddedFileProvider(assembly, "Ambassadors.Web.Assets"),
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(assembly, "Ambassadors.Web.Root"),
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "public, max-age=86400",
        });
    }
}
