using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// Serves the browser app (src/ContactCenter.Web, built into wwwroot) at `/`: static files, and index.html for any
/// other path of the app so that deep links work. API, hub, health, webhook and widget paths never fall back: an
/// unknown one stays the router's 404 (a problem, by the status-code pages).
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
        return app.UseWebAppFallback();
    }

    /// <summary>
    /// The app's deep links: a GET or HEAD that no route took, of a path that is not a file (no dot in its last segment)
    /// nor a server path, answers index.html. A middleware after routing, not a catch-all route: a route would take part
    /// in the router's method matching and turn every unknown path's POST into a 405 "Allow: GET, HEAD". So the router
    /// alone answers server paths: 415 for a body of the wrong type, 405 with the path's own methods, 404 for an unknown
    /// path whatever the method; a POST to an app path is 404 as well.
    /// </summary>
    private static WebApplication UseWebAppFallback(this WebApplication app)
    {
        // Not async itself: a request it passes on (every hub WebSocket, open for days) holds no frame of it.
        app.Use((context, next) =>
        {
            var request = context.Request;
            return context.GetEndpoint() is not null || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                || !IsAppPath(request.Path)
                ? next(context)
                : ServeIndexAsync(app, context);
        });
        return app;
    }

    private static async Task ServeIndexAsync(WebApplication app, HttpContext context)
    {
        var index = app.Environment.WebRootFileProvider.GetFileInfo("index.html");
        if (!index.Exists)
        {
            await Results.Problem("There is nothing here.", statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context);
            return;
        }
        context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        await Results.Stream(index.CreateReadStream(), "text/html; charset=utf-8").ExecuteAsync(context);
    }

    /// <summary>A path of the browser app: none of the server's own prefixes, and not a file's (no dot in the last segment).</summary>
    private static bool IsAppPath(PathString path) =>
        !ServerPrefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))
        && !(path.Value ?? "").Split('/')[^1].Contains('.', StringComparison.Ordinal);
}
