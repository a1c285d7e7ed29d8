using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>
/// The header of an admin (every section: inbox to reports and admin) on a small laptop or a tablet held sideways, in
/// Russian (the longest labels): the page never scrolls sideways, the account controls stay on screen and every section
/// can still be reached.
/// </summary>
public sealed class HeaderWidthBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    [Theory]
    [InlineData(1024)]
    [InlineData(1280)]
    public async Task An_admins_header_in_Russian_fits_without_sideways_scroll_and_reaches_every_section(int width)
    {
        await Page.SetViewportSizeAsync(width, 768);
        await Fx.OpenSignedInAsync(Page, "admin@test.local", "admin-password-1", path: "/inbox");
        await Page.GetByRole(AriaRole.Combobox, new() { Name = "Language" }).SelectOptionAsync("ru");
        var signOut = Page.GetByRole(AriaRole.Button, new() { Name = "Выйти" });
        await Expect(signOut).ToBeVisibleAsync();

        var m = await Page.EvaluateAsync<JsonElement>("() => ({ doc: document.documentElement.scrollWidth, inner: window.innerWidth })");
        Assert.True(m.GetProperty("doc").GetDouble() <= m.GetProperty("inner").GetDouble(), $"the page scrolls sideways at {width}px: {m}");
        var box = await signOut.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X + box.Width <= width, $"sign-out is off screen at {width}px: {box.X}+{box.Width}");

        // The last sections of the header are reachable (scrolled into view inside the header if they must be).
        await Page.Locator(".topbar nav").GetByRole(AriaRole.Link, new() { Name = "Отчёты" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/reports$"));
        await Page.Locator(".topbar nav").GetByRole(AriaRole.Link, new() { Name = "Настройки", Exact = true }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin"));
    }
}
