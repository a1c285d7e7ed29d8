using Microsoft.AspNetCore.Routing.Patterns;
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
        return app;
    }

    public static IEndpointRouteBuilder MapWebApp(this WebApplication app)
    {
        // The app's deep links: any path that is not a file nor a server path, read with GET or HEAD, after every other
        // route (a fallback). Server paths never get here, so the router answers them itself: 415 for a body of the
        // wrong type, 405 for a method no route of the path takes (also an unknown path's POST: the router sees this
        // GET route on every path), 404 for an unknown GET. A catch-all for every method used to turn all into a 404.
        var pattern = RoutePatternFactory.Parse("{*path:nonfile}", defaults: null, parameterPolicies: new { path = new AppPathConstraint() });
        app.Map(pattern, (HttpContext http) =>
        {
            var index = app.Environment.WebRootFileProvider.GetFileInfo("index.html");
            if (!index.Exists)
            {
                return Results.Problem("There is nothing here.", statusCode: StatusCodes.Status404NotFound);
            }
            http.Response.Headers[HeaderNames.CacheControl] = "no-cache";
            return Results.Stream(index.CreateReadStream(), "text/html; charset=utf-8");
        })
        .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]))
        .AllowAnonymous()
        .ExcludeFromDescription()
        .Add(endpoint => ((RouteEndpointBuilder)endpoint).Order = int.MaxValue);
        return app;
    }

    /// <summary>A path of the browser app: none of the server's own prefixes.</summary>
    private sealed class AppPathConstraint : IRouteConstraint
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            httpContext is null || !ServerPrefixes.Any(p => httpContext.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
    }
}
