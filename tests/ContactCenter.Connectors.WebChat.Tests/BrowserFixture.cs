using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace ContactCenter.Connectors.WebChat.Tests;

/// <summary>
/// The app, a customer's site on another origin (a tiny Kestrel serving a page that embeds the widget),
/// and the system Chromium driven by Playwright (never a downloaded browser).
/// </summary>
public sealed class BrowserFixture : WebChatFixture
{
    private WebApplication? site;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The customer's site, e.g. `http://127.0.0.1:40123` (another port is another origin).</summary>
    public string SiteUrl { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        site = builder.Build();
        // The page's own CSS tries hard to break the widget: the shadow root keeps it out.
        site.MapGet("/", (string key, string? email) => Results.Content($$"""
            <!doctype html>
            <html><head><meta charset="utf-8"><title>Shop</title>
            <style>button { display: none !important; } * { font-size: 40px !important; color: red !important; }</style></head>
            <body><h1>Our shop</h1>
            <script src="{{App.BaseAddress.ToString().TrimEnd('/')}}/widget.js" data-widget-key="{{WebUtility.HtmlEncode(key)}}"{{(email is null ? "" : $" data-email=\"{WebUtility.HtmlEncode(email)}\"")}} async></script>
            </body></html>
            """, "text/html"));
        await site.StartAsync();
        SiteUrl = site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CC_TEST_CHROMIUM") ?? (File.Exists("/usr/bin/chromium-headless-shell") ? "/usr/bin/chromium-headless-shell" : "/usr/bin/chromium"),
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser profile; shadow roots are opened so the test can look inside (the widget asks for a closed one).</summary>
    /// <param name="locale">The browser's language (navigator.language), e.g. `ru-RU`.</param>
    public async Task<IBrowserContext> NewVisitorAsync(ViewportSize? viewport = null, string locale = "en-US")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 800 },
            Locale = locale,
        });
        await context.AddInitScriptAsync("""
            const attach = Element.prototype.attachShadow;
            Element.prototype.attachShadow = function (init) { return attach.call(this, { ...init, mode: 'open' }); };
            """);
        return context;
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        Playwright?.Dispose();
        if (site is not null)
        {
            await site.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}
