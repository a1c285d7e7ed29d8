using System.Net;
using ContactCenter.Connectors.WebChat.Forms;
using ContactCenter.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// `GET /widget-demo?widgetKey=&amp;formKey=` in Development only: a stand-in for a customer's site with the chat
/// widget and a form, so the demo channels (`demo-widget-key`, `demo-form-key`) can be tried from a browser.
/// </summary>
public static class WidgetDemoPage
{
    public static IEndpointRouteBuilder MapWidgetDemoPage(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            return app;
        }
        app.MapGet("/widget-demo", async (string? widgetKey, string? formKey, IChannelDirectory channels, CancellationToken ct) =>
        {
            var form = await channels.FindByPublicKeyAsync(formKey ?? "demo-form-key", ct);
            var formHtml = form is { Kind: ChannelKinds.Webform } ? FormSnippet.Html(form, "") : "<p>No form channel with that key.</p>";
            return Results.Content($"""
                <!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
                <title>Demo shop</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem">
                <h1>Demo shop</h1><p>The chat button is at the bottom right. The form below becomes a lead.</p>
                {formHtml}
                <script src="/widget.js" data-widget-key="{WebUtility.HtmlEncode(widgetKey ?? "demo-widget-key")}" async></script>
                </body></html>
                """, "text/html; charset=utf-8");
        }).AllowAnonymous();
        return app;
    }
}
