using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>
/// CSAT end to end in Chromium: a visitor rates the resolved conversation in the real widget (on a stand-in site served
/// from loopback), and the supervisor sees the rating in the CSAT table — at desktop size, at 390x844 without horizontal
/// scrolling, and in Russian.
/// </summary>
public sealed class HoursBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task A_rating_given_in_the_widget_shows_on_the_supervisor_page()
    {
        // The customer's site: a page on a loopback WireMock that embeds the widget from the app.
        var site = Callback.Urls[0].TrimEnd('/');
        var channel = await Fx.CreateChannelAsync("webchat", "Rated chat " + Suffix, new JsonObject
        {
            ["allowedOrigins"] = new JsonArray(site),
            ["csat"] = new JsonObject { ["enabled"] = true, ["question"] = "How did we do?" },
        });
        var channelId = channel["id"]!.GetValue<long>();
        var key = channel["public"]!["widgetKey"]!.GetValue<string>();
        Callback.Given(Request.Create().WithPath("/shop").UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "text/html; charset=utf-8")
            .WithBody($"<!doctype html><html><body><h1>Shop</h1><script src=\"{Fx.BaseUrl}/widget.js\" data-widget-key=\"{key}\"></script></body></html>"));
        var manager = await Fx.CreateUserAsync("csatm" + Suffix, "manager", channelId);
        var supervisor = await Fx.CreateUserAsync("csats" + Suffix, "supervisor");

        // The manager is online, so the widget offers the chat (with nobody online it shows only its offline form, and
        // whether the composer or that form came first was a race the CI run lost).
        var managerPage = await Fx.NewPageAsync();
        await Fx.OpenSignedInAsync(managerPage, manager.Email);

        var visitor = await Fx.NewPageAsync();
        // The widget asks for a closed shadow root; opened here so the test can look inside.
        await visitor.Context.AddInitScriptAsync("""
            const attach = Element.prototype.attachShadow;
            Element.prototype.attachShadow = function (init) { return attach.call(this, { ...init, mode: 'open' }); };
            """);
        await visitor.GotoAsync($"{site}/shop");
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Open chat" }).ClickAsync();
        // Exactly "Message": the offline form's box is "Your message".
        await visitor.GetByLabel("Message", new() { Exact = true }).FillAsync("My parcel is late");
        await visitor.GetByLabel("Message", new() { Exact = true }).PressAsync("Enter");
        await Expect(visitor.Locator(".b.in", new() { HasText = "My parcel is late" })).ToHaveAttributeAsync("data-id", new System.Text.RegularExpressions.Regex("^[0-9]+$"));
        long conversationId;
        await using (var db = Fx.Db())
        {
            conversationId = await db.ExecuteScalarAsync<long>("select id from conversations where channel_id = @channelId", new { channelId });
        }
        await Fx.ApiAsync(manager.Token, HttpMethod.Post, $"/api/conversations/{conversationId}/assign", new { userId = manager.Id });
        await Fx.ApiAsync(manager.Token, HttpMethod.Post, $"/api/conversations/{conversationId}/status", new { status = "resolved" });

        await Expect(visitor.Locator(".b.out", new() { HasText = "How did we do?" })).ToBeVisibleAsync();
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Rate 4 of 5" }).ClickAsync();
        await Expect(visitor.GetByText("Thank you! You rated 4 of 5.")).ToBeVisibleAsync();
        await visitor.Context.CloseAsync();
        await managerPage.Context.CloseAsync();

        await Fx.OpenSignedInAsync(Page, supervisor.Email, path: "/supervisor");
        var table = Page.GetByTestId("csat-stats");
        var overall = table.Locator("tr[data-row='overall']");
        await Expect(overall.Locator(".csat-average")).ToHaveTextAsync("4.0");
        await Expect(overall.Locator(".csat-dist")).ToHaveTextAsync("0 / 0 / 0 / 1 / 0");
        await Expect(table.Locator($"tr[data-row='u{manager.Id}']")).ToContainTextAsync("csatm" + Suffix);
        await Screenshot("hours-csat-desktop");

        await Page.SetViewportSizeAsync(390, 844);
        await Expect(overall.Locator(".csat-average")).ToHaveTextAsync("4.0");
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The supervisor page scrolls sideways at 390x844.");
        await Screenshot("hours-csat-phone");

        await Page.GetByTestId("menu-button").ClickAsync(); // on a phone the language picker is in the header's menu
        await Page.GetByRole(AriaRole.Combobox, new() { Name = "Language" }).SelectOptionAsync("ru");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Удовлетворённость клиентов" })).ToBeVisibleAsync();
        await Expect(table.Locator("tr[data-row='overall'] td").First).ToHaveTextAsync("Всего");
        await Expect(overall.Locator(".csat-average")).ToHaveTextAsync("4,0"); // the decimal comma, as every other figure in Russian
    }

    [Fact]
    public async Task A_manager_sets_their_working_hours_in_the_dialog_and_finds_them_after_a_reload()
    {
        var manager = await Fx.CreateUserAsync("hoursm" + Suffix, "manager");
        await Fx.OpenSignedInAsync(Page, manager.Email, path: "/inbox");
        async Task<ILocator> OpenAsync()
        {
            await Page.GetByRole(AriaRole.Button, new() { Name = "Account" }).ClickAsync();
            await Page.Locator("#account-menu").GetByRole(AriaRole.Button, new() { Name = "Working hours" }).ClickAsync();
            var dialog = Page.GetByRole(AriaRole.Dialog, new() { Name = "Working hours: hoursm" + Suffix });
            await Expect(dialog).ToBeVisibleAsync();
            return dialog;
        }

        var dialog = await OpenAsync();
        var on = dialog.GetByLabel("Route conversations only within these hours");
        await Expect(on).Not.ToBeCheckedAsync();
        await on.CheckAsync();
        await dialog.GetByLabel("Time zone").FillAsync("Europe/Moscow");
        await dialog.GetByLabel("Friday").UncheckAsync();
        await dialog.GetByLabel("Saturday").CheckAsync();
        await dialog.GetByLabel("From").FillAsync("10:00");
        await dialog.GetByLabel("To", new() { Exact = true }).FillAsync("19:30");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);

        var saved = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/users/{manager.Id}/working-hours"))!["workingHours"]!;
        Assert.Equal("Europe/Moscow", saved["timeZone"]!.GetValue<string>());
        Assert.Equal(["mon", "sat", "thu", "tue", "wed"], saved["days"]!.AsArray().Select(d => d!.GetValue<string>()).Order());
        Assert.Equal(("10:00", "19:30"), (saved["from"]!.GetValue<string>(), saved["to"]!.GetValue<string>()));

        await Page.ReloadAsync();
        dialog = await OpenAsync();
        await Expect(dialog.GetByLabel("Route conversations only within these hours")).ToBeCheckedAsync();
        await Expect(dialog.GetByLabel("Time zone")).ToHaveValueAsync("Europe/Moscow");
        await Expect(dialog.GetByLabel("Friday")).Not.ToBeCheckedAsync();
        await Expect(dialog.GetByLabel("Saturday")).ToBeCheckedAsync();
        await Expect(dialog.GetByLabel("Monday")).ToBeCheckedAsync();
        await Expect(dialog.GetByLabel("From")).ToHaveValueAsync("10:00");
        await Expect(dialog.GetByLabel("To", new() { Exact = true })).ToHaveValueAsync("19:30");
    }
}
