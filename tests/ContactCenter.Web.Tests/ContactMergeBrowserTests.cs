using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>A web visitor who typed a known customer's email is offered as a possible duplicate and merged by a manager.</summary>
public sealed class ContactMergeBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    private const string SiteOrigin = "https://shop.example";

    [Fact]
    public async Task The_possible_duplicate_notice_merges_the_visitor_into_the_customer_also_on_a_390px_screen()
    {
        var email = $"grace{Suffix}@example.com";
        var customerName = "Grace " + Suffix;
        var api = await Fx.CreateApiChannelAsync(null, "Shop " + Suffix);
        var known = await Fx.PostInboundAsync(api, AppFixture.InboundBody("k-" + Suffix, "crm-" + Suffix, "Where is my order?", customerName, email));
        known.EnsureSuccessStatusCode();
        var customerConversation = (await known.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!.GetValue<long>();
        var chat = await Fx.CreateChannelAsync("webchat", "Chat " + Suffix, new JsonObject { ["allowedOrigins"] = new JsonArray(SiteOrigin) });
        var manager = await Fx.CreateUserAsync("mgr" + Suffix, "manager", api.Id, chat["id"]!.GetValue<long>());
        var conversationId = await VisitorWritesAsync(chat["public"]!["widgetKey"]!.GetValue<string>(), email, "Hi, it's Grace from the chat");
        var customerId = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/conversations/{customerConversation}"))!["contact"]!["id"]!.GetValue<long>();

        await Fx.OpenSignedInAsync(Page, manager.Email);
        await Page.Locator($"[data-conversation-id='{conversationId}']").ClickAsync();
        var side = Page.GetByRole(AriaRole.Complementary, new() { Name = "Details" });
        await Expect(side.GetByText($"Possibly the same person as {customerName}")).ToBeVisibleAsync();
        await Screenshot("possible-duplicate-wide");

        await Page.SetViewportSizeAsync(390, 844);
        var merge = Page.GetByRole(AriaRole.Button, new() { Name = $"Merge this contact into {customerName}" });
        await Expect(merge).ToBeVisibleAsync();
        await Expect(merge).ToBeInViewportAsync();
        await Screenshot("possible-duplicate-390");
        await merge.ClickAsync();

        await Expect(Page.GetByText("Possibly the same person as")).ToHaveCountAsync(0);
        var after = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/conversations/{conversationId}"))!;
        Assert.Equal(customerId, after["contact"]!["id"]!.GetValue<long>());
        Assert.Null(after["possibleDuplicate"]);
        await Page.SetViewportSizeAsync(1400, 860);
        await Expect(side.Locator(".contact-name-big")).ToHaveTextAsync(customerName);
    }

    /// <summary>A visitor on the site opens the widget with an email and writes; returns the conversation id.</summary>
    private async Task<long> VisitorWritesAsync(string widgetKey, string email, string text)
    {
        using var site = Fx.App.Http();
        site.DefaultRequestHeaders.Add("Origin", SiteOrigin);
        var session = await site.PostAsJsonAsync($"/api/widget/{widgetKey}/session", new { email });
        session.EnsureSuccessStatusCode();
        var token = (await session.Content.ReadFromJsonAsync<JsonObject>())!["visitorToken"]!.GetValue<string>();
        using var visitor = Fx.App.Http(token);
        visitor.DefaultRequestHeaders.Add("Origin", SiteOrigin);
        var sent = await visitor.PostAsJsonAsync("/api/widget/messages", new { text });
        sent.EnsureSuccessStatusCode();
        return (await sent.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!.GetValue<long>();
    }
}
