using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>The app's routes (react-router): a deep link served by the server's index.html fallback, the section links, back and forward.</summary>
public sealed class RoutingBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task A_deep_link_opens_its_tab_and_back_and_forward_walk_the_sections_and_the_tabs()
    {
        var admin = await Fx.CreateUserAsync("route" + Suffix, "admin");
        // A reload-style entry on a nested path: the server answers index.html and the router shows the Users tab.
        await Fx.OpenSignedInAsync(Page, admin.Email, path: "/admin/users");
        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = "Users" })).ToHaveAttributeAsync("aria-selected", "true");
        var nav = Page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Admin" })).ToHaveAttributeAsync("aria-current", "page");

        await Page.GetByRole(AriaRole.Tab, new() { Name = "Audit" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/admin/audit$"));
        await nav.GetByRole(AriaRole.Link, new() { Name = "Deals", Exact = true }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/deals$"));
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Deals", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Admin" })).Not.ToHaveAttributeAsync("aria-current", "page");

        await Page.GoBackAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/admin/audit$"));
        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = "Audit" })).ToHaveAttributeAsync("aria-selected", "true");
        await Page.GoBackAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/admin/users$"));
        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = "Users" })).ToHaveAttributeAsync("aria-selected", "true");
        await Page.GoForwardAsync();
        await Page.GoForwardAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/deals$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Deals", Level = 1 })).ToBeVisibleAsync();

        // The root sends to the inbox (replacing the entry, so Back does not bounce on "/").
        await Page.GotoAsync(Fx.BaseUrl + "/");
        await Expect(Page).ToHaveURLAsync(new Regex("/inbox$"));
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Inbox" })).ToHaveAttributeAsync("aria-current", "page");
    }
}
