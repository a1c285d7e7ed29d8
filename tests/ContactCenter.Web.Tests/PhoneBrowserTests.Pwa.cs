using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>The PWA: the web manifest, and the app offline after a first visit.</summary>
public sealed partial class PhoneBrowserTests
{
    [Fact]
    public async Task The_manifest_is_served_as_a_web_manifest_with_name_icons_theme_and_standalone_display()
    {
        using var http = Fx.App.Http();

        var index = await http.GetStringAsync("/");
        var response = await http.GetAsync("/manifest.webmanifest");

        Assert.Contains("<link rel=\"manifest\" href=\"/manifest.webmanifest\"", index, StringComparison.Ordinal);
        Assert.Equal("application/manifest+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        var manifest = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("ContactCenter", manifest["name"]!.GetValue<string>());
        Assert.Equal("standalone", manifest["display"]!.GetValue<string>());
        Assert.Equal("/inbox", manifest["start_url"]!.GetValue<string>());
        Assert.Matches("^#[0-9a-f]{6}$", manifest["theme_color"]!.GetValue<string>());
        var icons = manifest["icons"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Contains(icons, i => i["purpose"]!.GetValue<string>().Contains("maskable", StringComparison.Ordinal));
        foreach (var size in new[] { 192, 512 })
        {
            var icon = icons.First(i => i["sizes"]!.GetValue<string>() == $"{size}x{size}");
            var png = await http.GetAsync(icon["src"]!.GetValue<string>());
            Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
            var bytes = await png.Content.ReadAsByteArrayAsync();
            // The PNG header's width and height (big-endian, at 16 and 20) are what the manifest says.
            Assert.Equal(size, (bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19]);
            Assert.Equal(size, (bytes[20] << 24) | (bytes[21] << 16) | (bytes[22] << 8) | bytes[23]);
        }
        var worker = await http.GetAsync("/sw.js");
        Assert.Equal("text/javascript", worker.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", worker.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("en-GB", "You are offline")]
    [InlineData("ru-RU", "Нет подключения к сети")]
    public async Task Offline_after_a_first_visit_a_reload_shows_the_app_saying_it_is_offline_and_no_api_answer_comes_from_a_cache(string locale, string notice)
    {
        var w = For(locale);
        var manager = await Fx.CreateUserAsync("off" + Suffix + locale[..2], "manager");
        var context = await Fx.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 800 }, Locale = locale });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync(Fx.BaseUrl + "/");
            await SignInAsync(page, w, manager.Email, "password-1234");
            // The worker installed (the shell cached) and controls the page.
            await page.WaitForFunctionAsync("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null");
            await Expect(page.GetByTestId("offline")).ToHaveCountAsync(0);

            await context.SetOfflineAsync(true);
            await page.ReloadAsync();

            await Expect(page.GetByTestId("offline")).ToContainTextAsync(notice);
            await Expect(page.Locator(".topbar .brand")).ToBeVisibleAsync(); // the app's own shell, not the browser's error page
            var apiFailed = await page.EvaluateAsync<bool>("() => fetch('/api/auth/me').then(() => false, () => true)");
            Assert.True(apiFailed, "an API call was answered while offline (from a cache)");
            var cachedApi = await page.EvaluateAsync<int>(
                "async () => { let n = 0; for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) if (new URL(r.url).pathname.startsWith('/api/')) n++; return n; }");
            Assert.Equal(0, cachedApi);

            await context.SetOfflineAsync(false);
            await Expect(page.GetByTestId("offline")).ToHaveCountAsync(0);
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
