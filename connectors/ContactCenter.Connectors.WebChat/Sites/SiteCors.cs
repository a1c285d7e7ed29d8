using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ContactCenter.Connectors.WebChat.Sites;

/// <summary>
/// CORS for the public site endpoints. Which page may use a channel is decided per channel by the endpoint
/// (a foreign origin gets 403), so the headers here only let the browser read the answers. No credentials:
/// visitors authenticate with a bearer token, never with cookies.
/// </summary>
public static class SiteCors
{
    public static RouteGroupBuilder WithSiteCors(this RouteGroupBuilder group)
    {
        group.MapMethods("/{**rest}", [HttpMethods.Options], (HttpContext context) =>
        {
            AddHeaders(context);
            context.Response.Headers.AccessControlAllowMethods = "GET, POST";
            context.Response.Headers.AccessControlAllowHeaders = "authorization, content-type";
            context.Response.Headers.AccessControlMaxAge = "600";
            return Results.NoContent();
        }).AllowAnonymous().ExcludeFromDescription(); // a browser's CORS preflight under every path, not an operation (and `/{rest}` would clash with `/{formKey}`)
        group.AddEndpointFilter(async (context, next) =>
        {
            AddHeaders(context.HttpContext);
            return await next(context);
        });
        return group;
    }

    private static void AddHeaders(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return;
        }
        context.Response.Headers.AccessControlAllowOrigin = origin;
        context.Response.Headers.AccessControlExposeHeaders = "Retry-After";
        context.Response.Headers.Vary = "Origin";
    }
}
