using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>`GET /widget.js`: the embeddable widget, served from this assembly (no CDN), gzipped when the browser accepts it.</summary>
public sealed class WidgetScript
{
    public WidgetScript()
    {
        using var stream = typeof(WidgetScript).Assembly.GetManifestResourceStream("widget.js")
            ?? throw new InvalidOperationException("widget.js is not embedded.");
        using var plain = new MemoryStream();
        stream.CopyTo(plain);
        Plain = plain.ToArray();
        using var zipped = new MemoryStream();
        using (var gzip = new GZipStream(zipped, CompressionLevel.SmallestSize))
        {
            gzip.Write(Plain);
        }
        Gzipped = zipped.ToArray();
        ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Plain))[..16] + "\"";
    }

    public byte[] Plain { get; }

    public byte[] Gzipped { get; }

    public string ETag { get; }
}

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
