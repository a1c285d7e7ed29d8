using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ContactCenter.Connectors.WebChat.Widget;

public static class WidgetScriptEndpoint
{
    public static IEndpointRouteBuilder MapWidgetScript(this IEndpointRouteBuilder app)
    {
        app.MapGet("/widget.js", (HttpContext http, WidgetScript script) =>
        {
            var headers = http.Response.Headers;
            headers.CacheControl = "public, max-age=300";
            headers.ETag = script.ETag;
            headers.Vary = "Accept-Encoding";
            headers.XContentTypeOptions = "nosniff";
            if (http.Request.Headers.IfNoneMatch.ToString() == script.ETag)
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }
            var gzip = http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
            if (gzip)
            {
                headers.ContentEncoding = "gzip";
            }
            return Results.Bytes(gzip ? script.Gzipped : script.Plain, "text/javascript; charset=utf-8");
        }).AllowAnonymous();
        return app;
    }
}
