using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>The deals list view (/deals/list) with more deals than a page: virtualised rows, pages loaded as it scrolls.</summary>
public sealed class DealListBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    /// <summary>
    /// Scrolls the page to its end again and again, as someone reading down the list does (rows measured on the way move
    /// the end), until the table has loaded <paramref name="deals"/> deals.
    /// </summary>
    private Task ScrollUntilAsync(int deals) => Page.WaitForFunctionAsync("""
        n => {
          const e = document.querySelector('.content');
          e.scrollTo(0, e.scrollHeight);
          return document.querySelector('table.list-table')?.getAttribute('data-loaded') === String(n);
        }
        """, deals, new() { PollingInterval = 100, Timeout = 20_000 });

    [Fact]
    public async Task A_long_deal_list_renders_only_the_rows_near_the_screen_and_loads_the_next_pages_as_it_scrolls()
    {
        var manager = await Fx.CreateUserAsync("dlv" + Suffix, "manager");
        var ids = new List<long>();
        for (var i = 0; i < 130; i++)
        {
            ids.Add((await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/deals",
                new { title = $"Long list {i:000} {Suffix}", amount = i, assigneeId = manager.Id }))!["id"]!.GetValue<long>());
        }

        await Fx.OpenSignedInAsync(Page, manager.Email, path: "/deals/list");
        var list = Page.GetByTestId("deal-list");
        var table = list.Locator("table.list-table");
        var rows = list.Locator("tbody tr[data-deal-id]");
        var newest = list.Locator($"tr[data-deal-id='{ids[^1]}']");
        var oldest = list.Locator($"tr[data-deal-id='{ids[0]}']");
        await Expect(newest).ToBeVisibleAsync(); // newest first
        await Expect(table).ToHaveAttributeAsync("data-loaded", "50"); // the first page
        await Expect(table).ToHaveAttributeAsync("aria-rowcount", "-1"); // more to load: the total is not known yet
        Assert.InRange(await rows.CountAsync(), 1, 49);

        // Scrolling to the end loads the next page (no button press), twice, then shows the oldest deal.
        var scroller = Page.Locator(".content");
        await ScrollUntilAsync(100);
        await ScrollUntilAsync(130);
        await Expect(table).ToHaveAttributeAsync("aria-rowcount", "131"); // every deal and the header
        await scroller.EvaluateAsync("e => e.scrollTo(0, e.scrollHeight)");
        await Expect(oldest).ToBeVisibleAsync();
        await Expect(oldest.Locator("td[data-col='title']")).ToHaveTextAsync($"Long list 000 {Suffix}");
        await Expect(oldest).ToHaveAttributeAsync("aria-rowindex", "131");
        await Expect(list.GetByRole(AriaRole.Button, new() { Name = "Load more" })).ToHaveCountAsync(0);
        // The rows scrolled past are not in the page any more; the spacer above keeps their height.
        await Expect(newest).ToHaveCountAsync(0);
        Assert.InRange(await rows.CountAsync(), 1, 60);
        Assert.True(await list.Locator("tr[data-spacer='before']").EvaluateAsync<double>("e => e.getBoundingClientRect().height") > 1000);

        // Back at the top the newest deal is there again, with the same row index it had.
        await scroller.EvaluateAsync("e => e.scrollTo(0, 0)");
        await Expect(newest).ToBeVisibleAsync();
        await Expect(newest).ToHaveAttributeAsync("aria-rowindex", "2");

        // The keyboard focus on a row's tick box survives scrolling that row far away (it stays rendered).
        var box = newest.GetByRole(AriaRole.Checkbox);
        await box.FocusAsync();
        await scroller.EvaluateAsync("e => e.scrollTo(0, e.scrollHeight)");
        await Expect(oldest).ToBeVisibleAsync();
        await Expect(box).ToBeFocusedAsync();
        // Space ticks that same deal (the element kept its row: an element re-used for another row would tick that one).
        await Page.Keyboard.PressAsync(" ");
        await Expect(box).ToBeCheckedAsync();
        await Expect(list.GetByRole(AriaRole.Toolbar, new() { Name = "Bulk actions" })).ToContainTextAsync("1 selected");
        await Expect(oldest.GetByRole(AriaRole.Checkbox)).Not.ToBeCheckedAsync();
        await Page.Keyboard.PressAsync(" ");
        await Expect(box).Not.ToBeCheckedAsync();
        await scroller.EvaluateAsync("e => e.scrollTo(0, 0)");

        // One bulk move of all 130 deals is 130 live updates: the list re-reads its pages once for the burst, not per deal.
        var pipeline = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, "/api/pipelines"))!.AsArray().Single(p => p!["isDefault"]!.GetValue<bool>())!;
        var stage = pipeline["stages"]!.AsArray()[1]!;
        var reads = 0;
        Page.Request += (_, r) => { if (r.Url.Contains("/api/deals?", StringComparison.Ordinal)) Interlocked.Increment(ref reads); };
        await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/deals/bulk", new { ids, stageId = stage["id"]!.GetValue<long>() });
        await Expect(newest.Locator("td[data-col='stage']")).ToContainTextAsync(stage["name"]!.GetValue<string>());
        Assert.InRange(reads, 1, 9); // three pages, read again once (or twice if the burst outlasted the wait); 130+ before
    }

    [Fact]
    public async Task On_a_phone_the_long_list_scrolls_as_cards_and_a_deal_far_down_opens_its_card()
    {
        var manager = await Fx.CreateUserAsync("dlp" + Suffix, "manager");
        var ids = new List<long>();
        for (var i = 0; i < 60; i++)
        {
            ids.Add((await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/deals",
                new { title = $"Phone list {i:000} {Suffix}", amount = i, assigneeId = manager.Id }))!["id"]!.GetValue<long>());
        }
        await Page.SetViewportSizeAsync(390, 844);
        await Fx.OpenSignedInAsync(Page, manager.Email, path: "/deals/list");
        var list = Page.GetByTestId("deal-list");
        await Expect(list.Locator($"tr[data-deal-id='{ids[^1]}']")).ToBeVisibleAsync();
        await ScrollUntilAsync(60);
        await Expect(list.Locator("table.list-table")).ToHaveAttributeAsync("aria-rowcount", "61");
        await Page.Locator(".content").EvaluateAsync("e => e.scrollTo(0, e.scrollHeight)");
        var oldest = list.Locator($"tr[data-deal-id='{ids[0]}']");
        await Expect(oldest).ToBeVisibleAsync();
        Assert.Equal(0, await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"));
        await oldest.GetByRole(AriaRole.Link, new() { Name = $"Phone list 000 {Suffix}" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/deals/{ids[0]}$"));
    }

    /// <summary>
    /// "Select all" ticks the rows loaded (50 of 60); "select all that match" then ticks every deal of the filters, loading
    /// the rest, and a bulk move changes all 60 — on a phone, in Russian. Unticking one row leaves "all that match".
    /// </summary>
    [Fact]
    public async Task Select_all_that_match_ticks_every_deal_of_the_filters_not_only_the_rows_loaded()
    {
        var manager = await Fx.CreateUserAsync("dls" + Suffix, "manager");
        var ids = new List<long>();
        for (var i = 0; i < 60; i++)
        {
            ids.Add((await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/deals",
                new { title = $"Match {i:000} {Suffix}", amount = i, assigneeId = manager.Id }))!["id"]!.GetValue<long>());
        }
        var pipeline = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, "/api/pipelines"))!.AsArray().Single(p => p!["isDefault"]!.GetValue<bool>())!;
        var stage = pipeline["stages"]!.AsArray()[1]!;
        await Fx.OpenSignedInAsync(Page, manager.Email);
        await Page.EvaluateAsync("() => localStorage.setItem('cc.lang', 'ru')");
        await Page.SetViewportSizeAsync(390, 844);
        await Page.GotoAsync(Fx.BaseUrl + "/deals/list");
        var list = Page.GetByTestId("deal-list");
        await Expect(list.Locator("table.list-table")).ToHaveAttributeAsync("data-loaded", "50");

        await list.GetByRole(AriaRole.Checkbox, new() { Name = "Выбрать все", Exact = true }).CheckAsync();
        var toolbar = list.GetByRole(AriaRole.Toolbar, new() { Name = "Действия с выбранными" });
        await Expect(toolbar).ToContainTextAsync("Выбрано: 50");
        var matching = list.GetByTestId("select-matching");
        await Expect(matching).ToContainTextAsync("Выбраны все показанные строки (50); по фильтру есть ещё.");
        await matching.GetByRole(AriaRole.Button, new() { Name = "Выбрать все по фильтру (до 500)" }).ClickAsync();
        await Expect(matching).ToHaveTextAsync("Выбраны все строки по фильтру: 60.");
        await Expect(toolbar).ToContainTextAsync("Выбрано: 60");
        Assert.Equal(0, await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"));

        // One row unticked: 59 chosen, and the page no longer says "all that match".
        var last = list.Locator($"tr[data-deal-id='{ids[0]}']");
        await Page.Locator(".content").EvaluateAsync("e => e.scrollTo(0, e.scrollHeight)");
        await last.GetByRole(AriaRole.Checkbox).UncheckAsync();
        await Expect(toolbar).ToContainTextAsync("Выбрано: 59");
        await Expect(matching).ToHaveCountAsync(0);
        await last.GetByRole(AriaRole.Checkbox).CheckAsync();
        await Expect(toolbar).ToContainTextAsync("Выбрано: 60");

        await toolbar.GetByRole(AriaRole.Combobox, new() { Name = "Перенести на стадию" }).SelectOptionAsync(new SelectOptionValue { Label = stage["name"]!.GetValue<string>() });
        await Expect(list.GetByTestId("bulk-report")).ToHaveTextAsync("Изменено 60 записей.");
        var moved = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/deals?stageId={stage["id"]}&limit=100"))!["items"]!.AsArray();
        Assert.Equal(ids.Order(), moved.Select(d => d!["id"]!.GetValue<long>()).Order());

        // Another sort is another list: what was ticked goes (it kept 50 of "all 60 that match" in the new order). All 60
        // are loaded by now (the list re-read its pages after the bulk), so the header's tick takes them all.
        await Page.Locator(".content").EvaluateAsync("e => e.scrollTo(0, 0)");
        await list.GetByRole(AriaRole.Checkbox, new() { Name = "Выбрать все", Exact = true }).CheckAsync();
        await Expect(toolbar).ToContainTextAsync("Выбрано: 60");
        await list.GetByLabel("Сортировка").SelectOptionAsync(new SelectOptionValue { Label = "Сначала крупные" });
        await Expect(toolbar).ToHaveCountAsync(0);
        await Expect(matching).ToHaveCountAsync(0);
        await Expect(list.GetByRole(AriaRole.Checkbox, new() { Name = "Выбрать все", Exact = true })).Not.ToBeCheckedAsync();

        // An amount bound applies on Enter (it waited for the field to be left) and reads a decimal comma (a number field
        // dropped it): the deals of 41 to 59.
        await list.GetByLabel("Сумма от").FillAsync("40,5");
        await list.GetByLabel("Сумма от").PressAsync("Enter");
        await Expect(list.Locator("table.list-table")).ToHaveAttributeAsync("data-loaded", "19");
    }
}
