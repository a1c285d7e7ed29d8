using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>Sales reports (issue 17) in real Chromium: a plan set on the page moves live when a deal is won; every tab fits a phone.</summary>
public sealed class ReportsBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task A_supervisor_sets_a_plan_and_sees_its_progress_move_when_the_manager_wins_a_deal()
    {
        var manager = await Fx.CreateUserAsync("rplan" + Suffix, "manager");
        await Fx.CreateUserAsync("rsup" + Suffix, "supervisor");
        await Fx.OpenSignedInAsync(Page, $"rsup{Suffix}@test.local");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Reports" }).ClickAsync();
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Plan" }).ClickAsync();
        var row = Page.Locator($".plan-row[data-user-id='{manager.Id}']");
        await row.GetByTestId("plan-amount").FillAsync("1000");
        await row.GetByTestId("plan-save").ClickAsync();
        await Expect(row.GetByTestId("plan-progress")).ToHaveTextAsync("0%");
        // The month the page shows (its own clock's), never the wall clock's read again here.
        var month = await Page.GetByTestId("plan-month").InputValueAsync();
        var stored = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, $"/api/reports/plan?month={month}"))!["rows"]!.AsArray()
            .Single(r => r!["userId"]!.GetValue<long>() == manager.Id)!;
        Assert.Equal(1000m, stored["plan"]!.GetValue<decimal>());

        // The manager wins a deal of 250: the supervisor's page re-reads on the deal's push, no reload.
        var deal = (await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/deals", new { title = "Plan deal " + Suffix, amount = 250, assigneeId = manager.Id }))!;
        await Fx.ApiAsync(manager.Token, HttpMethod.Post, $"/api/deals/{deal["id"]}/close", new { outcome = "won" });

        await Expect(row.GetByTestId("plan-progress")).ToHaveTextAsync("25%");
        await Expect(row.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuenow", "25");
        await Expect(row.GetByTestId("plan-won")).ToContainTextAsync("250");
        // A win in another currency is listed under the row, not added to the plan's (there are no exchange rates).
        var euros = (await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/deals", new { title = "Euro deal " + Suffix, amount = 100, currency = "EUR", assigneeId = manager.Id }))!;
        await Fx.ApiAsync(manager.Token, HttpMethod.Post, $"/api/deals/{euros["id"]}/close", new { outcome = "won" });
        await Expect(row.GetByTestId("plan-won-other")).ToContainTextAsync("€100");
        await Expect(row.GetByTestId("plan-progress")).ToHaveTextAsync("25%");
        await Screenshot("reports-plan");
    }

    [Fact]
    public async Task The_funnel_and_every_report_tab_fit_a_phone_at_390x844_without_sideways_scrolling()
    {
        var manager = await Fx.CreateUserAsync("rphone" + Suffix, "manager");
        var reason = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, "/api/loss-reasons"))!.AsArray()[0]!["id"]!.GetValue<long>();
        for (var i = 0; i < 3; i++)
        {
            var deal = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/deals",
                new { title = $"A rather long deal title number {i} {Suffix}", amount = 1000 * (i + 1), assigneeId = manager.Id, source = "a-long-source-name-" + Suffix }))!;
            if (i > 0)
            {
                await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, $"/api/deals/{deal["id"]}/close", i == 1 ? new { outcome = "won", lossReasonId = (long?)null } : new { outcome = "lost", lossReasonId = (long?)reason });
            }
        }
        await Page.SetViewportSizeAsync(390, 844);
        await Fx.OpenSignedInAsync(Page, "admin@test.local", "admin-password-1", path: "/reports");
        await Expect(Page.GetByTestId("funnel-table")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("funnel-chart").Locator(".recharts-surface")).ToBeVisibleAsync();
        Assert.True(int.Parse(await Page.GetByTestId("funnel-won").InnerTextAsync(), CultureInfo.InvariantCulture) >= 1);
        await NoSidewaysScrollAsync("funnel");
        Assert.Equal(0, await Page.GetByTestId("funnel-table").Locator("tbody td").EvaluateAllAsync<int>(
            "tds => tds.filter(td => td.getBoundingClientRect().right > innerWidth + 1 || !td.dataset.label).length"));
        await Screenshot("reports-funnel-phone");

        foreach (var (tab, table) in new[] { ("Sales", "sales-table"), ("Efficiency", "efficiency-table"), ("Speed to lead", "speed-table") })
        {
            await Page.GetByRole(AriaRole.Tab, new() { Name = tab }).ClickAsync();
            await Expect(Page.GetByTestId(table)).ToBeVisibleAsync();
            await NoSidewaysScrollAsync(tab);
            // Each row a card of labelled values: no column is cut at the panel's edge (the amounts were, "2" of "21 000 $").
            var cut = await Page.GetByTestId(table).Locator("tbody td").EvaluateAllAsync<string[]>(
                "tds => tds.filter(td => td.getBoundingClientRect().right > innerWidth + 1 || !td.dataset.label).map(td => td.textContent)");
            Assert.True(cut.Length == 0, $"{tab}: cells past the screen's edge or without their column's name at 390 px: {string.Join(" | ", cut)}");
        }
        // Speed to lead counts what came in, not what was won (its column said "Won").
        await Expect(Page.GetByTestId("speed-table").Locator("th").Nth(1)).ToHaveTextAsync("Received");
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Plan" }).ClickAsync();
        await Expect(Page.Locator($".plan-row[data-user-id='{manager.Id}']")).ToBeVisibleAsync();
        await NoSidewaysScrollAsync("plan");
    }

    private async Task NoSidewaysScrollAsync(string what) =>
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth"), $"the {what} report scrolls sideways at 390x844");
}
