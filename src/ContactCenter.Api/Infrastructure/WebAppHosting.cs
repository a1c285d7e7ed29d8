using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// Serves the browser app (src/ContactCenter.Web, built into wwwroot) at `/`: static files, and index.html for any
/// other path of the app so that deep links work. API, hub, health, webhook and widget paths never fall back: an
/// unknown one stays a 404.
/// </summary>
public static class WebAppHosting
{
    private static readonly HashSet<string> FixedNames = ["index.html", "sw.js", "manifest.webmanifest"];

    private static readonly string[] ServerPrefixes = ["/api", "/hubs", "/health", "/metrics", "/openapi", "/scalar", "/webhooks", "/widget.js"];

    public static WebApplication UseWebApp(this WebApplication app)
    {
        app.UseDefaultFiles();
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".webmanifest"] = "application/manifest+json";
        app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = types,
            // Built assets have content hashes in their names; the files with fixed names (the page, the PWA's service
            // worker and manifest) must always be fresh, or an installed app would never learn of a new version.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl =
                FixedNames.Contains(context.File.Name) ? "no-cache" : "public, max-age=31536000, immutable",
        });
        return app;
    }

    public static IEndpointRouteBuilder MapWebApp(this WebApplication app)
    {
        app.MapFallback("{*path:nonfile}", (HttpContext http) =>
        {
            var path = http.Request.Path;
            var index = app.Environment.WebRootFileProvider.GetFileInfo("index.html");
            if (ServerPrefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)) || !index.Exists)
            {
                return Results.Problem("There is nothing here.", statusCode: StatusCodes.Status404NotFound);
            }
            http.Response.Headers[HeaderNames.CacheControl] = "no-cache";
            return Results.Stream(index.CreateReadStream(), "text/html; charset=utf-8");
        }).AllowAnonymous();
        return app;
    }
}
