using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>The leads list's bulk bar (issue #17) in real Chromium: tick, assign, junk with a reason, the per-lead report, phone and Russian.</summary>
public sealed class LeadListBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    /// <summary>A lead opened by an inbound message (CRM mode classic) in a channel the manager is a member of.</summary>
    private async Task<(long Id, string Title)> LeadOfAsync(AppFixture.ApiChannel channel, string key, string name)
    {
        var conversation = (await Fx.IngestAsync(channel, "m-" + key, key, "hello from " + name, name))["conversationId"]!.GetValue<long>();
        var id = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, $"/api/conversations/{conversation}"))!["leadId"]!.GetValue<long>();
        return (id, (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, $"/api/leads/{id}"))!["title"]!.GetValue<string>());
    }

    private async Task<string> StatusAsync(AppFixture.TestUser user, long lead) =>
        (await Fx.ApiAsync(user.Token, HttpMethod.Get, $"/api/leads/{lead}"))!["status"]!.GetValue<string>();

    private async Task<long> JunkReasonAsync(string name, string nameRu) =>
        (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/junk-reasons", new { name, nameRu }))!["id"]!.GetValue<long>();

    [Fact]
    public async Task A_manager_ticks_two_leads_and_assigns_them_to_a_colleague_then_junks_with_a_reason_and_reads_what_was_refused()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Leads bulk " + Suffix);
        var manager = await Fx.CreateUserAsync("lbm" + Suffix, "manager", channel.Id);
        var colleague = await Fx.CreateUserAsync("lbc" + Suffix, "manager", channel.Id);
        var a = await LeadOfAsync(channel, "la-" + Suffix, "Anna " + Suffix);
        var b = await LeadOfAsync(channel, "lb-" + Suffix, "Boris " + Suffix);
        var junked = await LeadOfAsync(channel, "lc-" + Suffix, "Clara " + Suffix);
        var d = await LeadOfAsync(channel, "ld-" + Suffix, "Dora " + Suffix);
        var reason = "Spam " + Suffix;
        var reasonId = await JunkReasonAsync(reason, "Спам " + Suffix);
        await Fx.ApiAsync(manager.Token, HttpMethod.Post, $"/api/leads/{junked.Id}/junk", new { junkReasonId = reasonId });

        await Fx.OpenSignedInAsync(Page, manager.Email, path: "/leads");
        var list = Page.GetByTestId("lead-list");
        var rowA = list.Locator($"tr[data-lead-id='{a.Id}']");
        var rowB = list.Locator($"tr[data-lead-id='{b.Id}']");
        await rowA.GetByRole(AriaRole.Checkbox, new() { Name = "Select " + a.Title }).CheckAsync();
        await rowB.GetByRole(AriaRole.Checkbox, new() { Name = "Select " + b.Title }).CheckAsync();
        var bar = list.GetByRole(AriaRole.Toolbar, new() { Name = "Bulk actions" });
        await Expect(bar).ToContainTextAsync("2 selected");
        await bar.GetByRole(AriaRole.Combobox, new() { Name = "Assign to" }).SelectOptionAsync(new SelectOptionValue { Label = "lbc" + Suffix });

        await Expect(list.GetByTestId("bulk-report")).ToHaveTextAsync("Changed: 2.");
        await Expect(rowA.Locator("td[data-col='assignee']")).ToHaveTextAsync("lbc" + Suffix);
        await Expect(rowB.Locator("td[data-col='assignee']")).ToHaveTextAsync("lbc" + Suffix);
        await Expect(bar).ToHaveCountAsync(0); // the selection was cleared
        foreach (var id in new[] { a.Id, b.Id })
        {
            Assert.Equal(colleague.Id, (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/leads/{id}"))!["assignee"]!["id"]!.GetValue<long>());
        }

        // Junk waits for a reason; a lead that is already junk, and one a colleague now owns, are named in the report
        // with the server's reason.
        var rowD = list.Locator($"tr[data-lead-id='{d.Id}']");
        await rowB.GetByRole(AriaRole.Checkbox).CheckAsync();
        await rowD.GetByRole(AriaRole.Checkbox).CheckAsync();
        await list.Locator($"tr[data-lead-id='{junked.Id}']").GetByRole(AriaRole.Checkbox).CheckAsync();
        var junk = bar.GetByRole(AriaRole.Button, new() { Name = "Junk", Exact = true });
        await Expect(junk).ToBeDisabledAsync();
        await bar.GetByRole(AriaRole.Combobox, new() { Name = "Junk reason" }).SelectOptionAsync(new SelectOptionValue { Label = reason });
        await junk.ClickAsync();
        await Expect(list.GetByTestId("bulk-report")).ToHaveTextAsync(
            $"Changed: 1. Not changed: {b.Title} (A colleague owns this lead: only they or a supervisor can change it.); {junked.Title} (The lead is already junk.)");
        await Expect(rowD.Locator("td[data-col='status']")).ToHaveTextAsync("junk");
        Assert.Equal("junk", await StatusAsync(manager, d.Id));
        Assert.Equal("in_work", await StatusAsync(manager, b.Id)); // the colleague's now: not junked
        Assert.Equal("in_work", await StatusAsync(manager, a.Id)); // assigned, not junked
        await Screenshot("lead-list-bulk");
    }

    [Fact]
    public async Task On_a_phone_in_Russian_select_all_on_the_page_and_set_the_status_without_sideways_scrolling()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Leads phone " + Suffix);
        var manager = await Fx.CreateUserAsync("lbp" + Suffix, "manager", channel.Id);
        var a = await LeadOfAsync(channel, "pa-" + Suffix, "Дарья Очень-Длинная-Фамилия-Для-Узкого-Экрана " + Suffix);
        var b = await LeadOfAsync(channel, "pb-" + Suffix, "Евгений " + Suffix);

        await Fx.OpenSignedInAsync(Page, manager.Email, path: "/leads");
        await Page.GetByRole(AriaRole.Combobox, new() { Name = "Language" }).SelectOptionAsync("ru");
        await Page.SetViewportSizeAsync(390, 844);
        var list = Page.GetByTestId("lead-list");
        // The manager sees only the two leads of their channel, so "select all" ticks exactly them.
        await Expect(list.Locator("tbody tr")).ToHaveCountAsync(2);
        // The status column speaks Russian too (it showed the server's code, `new`).
        await Expect(list.Locator("tbody tr").First).ToContainTextAsync("новый");
        await list.GetByRole(AriaRole.Checkbox, new() { Name = "Выбрать все" }).CheckAsync();
        var bar = list.GetByRole(AriaRole.Toolbar, new() { Name = "Действия с выбранными" });
        await Expect(bar).ToContainTextAsync("Выбрано: 2");
        await Expect(bar).ToBeInViewportAsync();
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth"), "the leads list with its bulk bar scrolls sideways at 390x844");
        await bar.GetByRole(AriaRole.Combobox, new() { Name = "Сменить статус" }).SelectOptionAsync(new SelectOptionValue { Label = "в работе" });
        await Expect(list.GetByTestId("bulk-report")).ToHaveTextAsync("Изменены 2 записи.");
        foreach (var id in new[] { a.Id, b.Id })
        {
            Assert.Equal("in_work", await StatusAsync(manager, id));
        }
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth"), "the leads list scrolls sideways at 390x844");
        await Screenshot("lead-list-bulk-ru-phone");
    }
}
