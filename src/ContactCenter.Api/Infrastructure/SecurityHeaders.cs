namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// Security headers on every response (app shell, assets, API, errors) but a hub's WebSocket upgrade. The app's policy allows scripts and styles
/// only from this origin (the built index.html has no inline script); style attributes stay allowed because sanitised
/// email HTML uses them. A route that answers with its own policy keeps it (attachments: `sandbox`). The Development
/// page `/widget-demo` stands in for a customer's site with the form's inline script and the widget's styles, so it
/// gets a looser script/style policy; `/widget.js` is a script other sites embed and a CSP on it would not apply.
/// </summary>
public static class SecurityHeaders
{
    public const string AppPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; "
        + "media-src 'self' blob:; font-src 'self'; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; "
        + "form-action 'self'; frame-ancestors 'none'";

    public const string WidgetDemoPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // A hub's WebSocket request has no content for these to govern (a 101, or a refusal without a body), and the
        // server would keep the callback's list for the connection's life.
        if (HubSockets.Is(context))
        {
            return next(context);
        }
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            if (!headers.ContainsKey("Content-Security-Policy"))
            {
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/widget-demo", StringComparison.OrdinalIgnoreCase)
                    ? WidgetDemoPolicy : AppPolicy;
            }
            return Task.CompletedTask;
        });
        return next(context);
    });
}
