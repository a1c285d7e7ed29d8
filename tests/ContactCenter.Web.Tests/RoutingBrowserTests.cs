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

    [Fact]
    public async Task An_unknown_path_or_a_page_of_another_role_says_so_and_leads_back_to_the_inbox_on_a_phone_in_Russian()
    {
        var manager = await Fx.CreateUserAsync("nopage" + Suffix, "manager");
        await Fx.OpenSignedInAsync(Page, manager.Email, path: "/no-such-page");
        await Expect(Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "There is no such page" })).ToBeVisibleAsync();

        await Page.EvaluateAsync("() => localStorage.setItem('cc.lang', 'ru')");
        await Page.SetViewportSizeAsync(390, 844);
        await Page.GotoAsync(Fx.BaseUrl + "/admin/users"); // an admin's page: a manager's router has no such route
        var missing = Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Такой страницы нет" });
        await Expect(missing).ToBeVisibleAsync();
        await Expect(missing).ToBeInViewportAsync();
        var left = (await missing.BoundingBoxAsync())!.X;
        var text = (await missing.Locator("p").First.BoundingBoxAsync())!.X;
        Assert.True(text - left >= 8 || left >= 8, $"the notice sits against the screen's edge (section at {left}, text at {text})");
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth"), "the missing-page notice scrolls sideways at 390x844");
        await missing.GetByRole(AriaRole.Link, new() { Name = "Перейти во входящие" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/inbox$"));
    }

    [Fact]
    public async Task A_tab_or_sub_path_that_does_not_exist_says_so_instead_of_showing_another_page()
    {
        var admin = await Fx.CreateUserAsync("tabs" + Suffix, "admin");
        await Fx.OpenSignedInAsync(Page, admin.Email);
        var missing = Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "There is no such page" });
        foreach (var path in new[] { "/admin/nope", "/reports/nope", "/settings/nope", "/supervisor/nope", "/deals/list/nope" })
        {
            await Page.GotoAsync(Fx.BaseUrl + path);
            await Expect(missing).ToBeVisibleAsync();
            await Expect(Page.GetByRole(AriaRole.Tab)).ToHaveCountAsync(0);
        }
        // The real tabs still open by their address.
        await Page.GotoAsync(Fx.BaseUrl + "/admin/users");
        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = "Users" })).ToHaveAttributeAsync("aria-selected", "true");
        await Page.GotoAsync(Fx.BaseUrl + "/reports/sales");
        await Expect(Page.Locator("[role=tab][data-tab=sales]")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(missing).ToHaveCountAsync(0);
    }
}
