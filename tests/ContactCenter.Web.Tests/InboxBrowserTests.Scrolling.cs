using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>The virtualised list scrolled to its end, page after page.</summary>
public sealed partial class InboxBrowserTests
{
    [Fact]
    public async Task Scrolling_to_the_end_of_the_list_loads_the_older_pages_without_duplicates_down_to_the_oldest()
    {
        // The app asks for 30 at a time (InboxPage PageSize): 65 make two full pages and a short third.
        const int total = 65;
        var channel = await Fx.CreateApiChannelAsync(null, "Many " + Suffix);
        var manager = await Fx.CreateUserAsync("mgr" + Suffix, "manager", channel.Id);
        var ids = new List<string>();
        for (var i = 0; i < total; i++)
        {
            var ingested = await Fx.IngestAsync(channel, $"ext-{i}-{Suffix}", $"cust-{i}-{Suffix}", $"Message number {i}", $"Customer {i:00}");
            ids.Add(ingested["conversationId"]!.ToString());
        }
        await SignInAsync(manager.Email);
        // The list is virtualised: only rows near the viewport are rendered, and each says how many are loaded
        // (aria-setsize) and its place among them (aria-posinset).
        var list = Page.GetByRole(AriaRole.Listbox, new() { Name = "Conversations" });
        var options = list.GetByRole(AriaRole.Option);
        await Expect(options.First).ToHaveAttributeAsync("aria-setsize", "30");
        await Expect(options.First).ToHaveAttributeAsync("data-conversation-id", ids[^1]);
        await Expect(list.Locator($"[data-conversation-id='{ids[0]}']")).ToHaveCountAsync(0);

        // A customer on the third page (not loaded yet) writes again: the conversation comes to the top now,
        // and is not listed a second time when its old page is loaded.
        await Fx.IngestAsync(channel, $"ext-again-{Suffix}", $"cust-2-{Suffix}", "Still waiting", "Customer 02");
        await Expect(options.First).ToHaveAttributeAsync("aria-setsize", "31");
        await Expect(options.First).ToHaveAttributeAsync("data-conversation-id", ids[2]);

        await ScrollToEndAsync(list);
        await Expect(options.First).ToHaveAttributeAsync("aria-setsize", "61");
        await ScrollToEndAsync(list);
        await Expect(options.First).ToHaveAttributeAsync("aria-setsize", total.ToString());
        await Expect(list.Locator(".sentinel")).ToHaveCountAsync(0);
        var last = list.Locator($"[role='option'][aria-posinset='{total}']");
        await last.ScrollIntoViewIfNeededAsync();
        await Expect(last).ToBeInViewportAsync();
        await Expect(last).ToHaveAttributeAsync("data-conversation-id", ids[0]);
        await Expect(last).ToContainTextAsync("Customer 00");

        // Every loaded row, read by scrolling the list from the top one screen at a time.
        var listed = await ReadAllRowsAsync(list, total);
        Assert.Equal(total, listed.Distinct().Count());
        Assert.Equal(ids.ToHashSet(), listed.ToHashSet());
        Assert.Equal(ids[2], listed[0]);
    }

    /// <summary>
    /// The conversation ids of a virtualised list in order: collects the rendered rows, brings the last of them to the
    /// top of the list and waits for the row after it to be rendered, until the row at <paramref name="count"/> was seen.
    /// </summary>
    private static async Task<List<string>> ReadAllRowsAsync(ILocator list, int count)
    {
        var byPlace = new SortedDictionary<int, string>();
        await list.EvaluateAsync("el => el.scrollTop = 0");
        await Expect(list.Locator("[role='option'][aria-posinset='1']")).ToHaveCountAsync(1);
        while (true)
        {
            var rendered = await list.Locator("[role='option']").EvaluateAllAsync<string[][]>(
                "els => els.map(e => [e.getAttribute('aria-posinset'), e.getAttribute('data-conversation-id')])");
            foreach (var pair in rendered)
            {
                byPlace[int.Parse(pair[0])] = pair[1];
            }
            var seen = byPlace.Keys.Max();
            if (seen >= count) break;
            await list.Locator($"[role='option'][aria-posinset='{seen}']").EvaluateAsync("el => el.scrollIntoView({ block: 'start' })");
            await Expect(list.Locator($"[role='option'][aria-posinset='{seen + 1}']")).ToHaveCountAsync(1);
        }
        Assert.Equal(Enumerable.Range(1, count), byPlace.Keys);
        return byPlace.Values.ToList();
    }

    /// <summary>Scrolls the list itself (its own scroll box) to the bottom, as the wheel does.</summary>
    private static async Task ScrollToEndAsync(ILocator list)
    {
        await list.EvaluateAsync("el => el.scrollTop = el.scrollHeight");
    }
}
