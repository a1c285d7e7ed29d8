using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>Inbox states (issue #16) in real Chromium: snooze from the thread header, live wake-up, the filter bar in the URL, a phone, Russian.</summary>
public sealed class InboxStatesBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task A_snoozed_conversation_comes_back_to_the_open_list_live_when_the_customer_writes()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Snooze " + Suffix);
        var manager = await Fx.CreateUserAsync("snz" + Suffix, "manager", channel.Id);
        var id = (await Fx.IngestAsync(channel, "s1-" + Suffix, "cust-" + Suffix, "Call me next week", "Nora"))["conversationId"]!.ToString();
        await Fx.OpenSignedInAsync(Page, manager.Email);
        var row = Page.Locator($"[data-conversation-id='{id}']");
        await row.ClickAsync();
        await Page.EvaluateAsync("() => { window.__notReloaded = true; }");

        await Page.Locator("[data-shortcut='snooze']").ClickAsync();
        await Page.GetByRole(AriaRole.Menuitem, new() { Name = "Next week" }).ClickAsync();

        await Expect(Page.GetByTestId("conversation-status")).ToHaveTextAsync("Snoozed");
        await Expect(Page.GetByTestId("snoozed-until")).ToContainTextAsync("Snoozed until");
        await Expect(row).ToHaveCountAsync(0); // out of the Open list
        var tabs = Page.GetByRole(AriaRole.Tablist, new() { Name = "Conversation status" });
        await tabs.GetByRole(AriaRole.Tab, new() { Name = "Snoozed" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("status=snoozed"));
        await Expect(row).ToContainTextAsync("Snoozed until");
        await tabs.GetByRole(AriaRole.Tab, new() { Name = "Open" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);

        await Fx.IngestAsync(channel, "s2-" + Suffix, "cust-" + Suffix, "Actually, I need it today");

        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Actually, I need it today");
        await Expect(Page.GetByTestId("conversation-status")).ToHaveTextAsync("Open");
        await Expect(Page.GetByTestId("snoozed-until")).ToHaveCountAsync(0);
        Assert.True(await Page.EvaluateAsync<bool>("() => window.__notReloaded === true"), "the page was reloaded");
    }

    [Fact]
    public async Task The_filter_bar_is_kept_in_the_url_folds_behind_a_toggle_on_a_phone_and_speaks_Russian()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Filters " + Suffix);
        var manager = await Fx.CreateUserAsync("flt" + Suffix, "manager", channel.Id);
        var first = (await Fx.IngestAsync(channel, "f1-" + Suffix, "c1-" + Suffix, "first", "Olga"))["conversationId"]!.ToString();
        var second = (await Fx.IngestAsync(channel, "f2-" + Suffix, "c2-" + Suffix, "second", "Pavel"))["conversationId"]!.ToString();
        await Fx.OpenSignedInAsync(Page, manager.Email);
        var options = Page.GetByRole(AriaRole.Listbox, new() { Name = "Conversations" }).GetByRole(AriaRole.Option);
        await Expect(options).ToHaveCountAsync(2);
        await Expect(options.First).ToHaveAttributeAsync("data-conversation-id", second);

        var filters = Page.GetByRole(AriaRole.Group, new() { Name = "Filters" });
        await filters.GetByRole(AriaRole.Combobox, new() { Name = "Sort" }).SelectOptionAsync("oldest");
        await Expect(Page).ToHaveURLAsync(new Regex("sort=oldest"));
        await Expect(options.First).ToHaveAttributeAsync("data-conversation-id", first);
        await Page.ReloadAsync();
        await Expect(filters.GetByRole(AriaRole.Combobox, new() { Name = "Sort" })).ToHaveValueAsync("oldest");
        await Expect(options.First).ToHaveAttributeAsync("data-conversation-id", first);
        // A manager picks no colleague: there is no assignee select for them.
        await Expect(filters.GetByRole(AriaRole.Combobox, new() { Name = "Assignee" })).ToHaveCountAsync(0);

        await Page.GetByRole(AriaRole.Combobox, new() { Name = "Language" }).SelectOptionAsync("ru");
        var tabs = Page.GetByRole(AriaRole.Tablist, new() { Name = "Статус диалога" });
        await Expect(tabs.GetByRole(AriaRole.Tab, new() { Name = "Отложен" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Group, new() { Name = "Фильтры" }).GetByRole(AriaRole.Combobox, new() { Name = "Сортировка" })).ToHaveValueAsync("oldest");

        await Page.SetViewportSizeAsync(390, 844);
        var toggle = Page.Locator(".filters-toggle");
        await Expect(toggle).ToBeVisibleAsync();
        await Expect(Page.GetByLabel("Активность с")).Not.ToBeVisibleAsync();
        await toggle.ClickAsync();
        await Expect(Page.GetByLabel("Активность с")).ToBeVisibleAsync();
        await Screenshot("inbox-filters-390-ru");
        var widths = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"horizontal scroll at 390px: {widths[0]} > {widths[1]}");
    }
}
