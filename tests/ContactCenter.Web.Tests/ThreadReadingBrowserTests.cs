using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>
/// The conversation screen as an outside review used it (session 42): its header's actions at 1280 px in Russian (they ran
/// under the side panel, out of reach), a file with a long name staged on a phone (Send went off the screen), and a message
/// that comes while the manager reads older ones (it was marked read and nothing said it was there).
/// </summary>
public sealed class ThreadReadingBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task In_Russian_at_1280_px_every_action_of_a_snoozed_conversation_with_a_long_name_is_in_the_thread_and_reachable()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Header " + Suffix);
        var id = (await Fx.IngestAsync(channel, "hd-" + Suffix, "cust-hd-" + Suffix, "Здравствуйте",
            "Очень-длинное-имя-клиента-без-пробелов-" + Suffix))["conversationId"]!.GetValue<long>();
        await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, $"/api/conversations/{id}/snooze", new { until = DateTimeOffset.UtcNow.AddDays(2) });
        await Page.SetViewportSizeAsync(1280, 800);
        await Fx.OpenSignedInAsync(Page, "admin@test.local", "admin-password-1", path: $"/inbox/{id}");
        await Page.GetByRole(AriaRole.Combobox, new() { Name = "Language" }).SelectOptionAsync("ru");
        await Expect(Page.Locator(".thread-head").GetByRole(AriaRole.Button, new() { Name = "Решить" })).ToBeVisibleAsync();

        var outside = await Page.EvaluateAsync<string[]>("""
            () => {
              const thread = document.querySelector('section.thread').getBoundingClientRect();
              const out = [];
              for (const el of document.querySelectorAll('.thread-head .actions button, .thread-head .actions select')) {
                const r = el.getBoundingClientRect();
                if (r.width === 0 && r.height === 0) continue; // hidden at this width (the phone's "details" button)
                const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                if (r.right > thread.right + 0.5 || r.left < thread.left - 0.5) out.push(`${el.textContent.trim() || el.ariaLabel}: ${r.left}-${r.right} outside ${thread.left}-${thread.right}`);
                else if (!hit || !(hit === el || el.contains(hit))) out.push(`${el.textContent.trim() || el.ariaLabel}: covered by ${hit && hit.className}`);
              }
              return out;
            }
            """);
        Assert.True(outside.Length == 0, string.Join("\n", outside));
        await Expect(Page.Locator(".thread-head .actions").GetByRole(AriaRole.Button)).ToHaveCountAsync(5); // take, snooze, unsnooze, resolve, profile
    }

    [Fact]
    public async Task On_a_phone_a_file_with_a_long_name_keeps_send_on_the_screen()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Files " + Suffix);
        var manager = await Fx.CreateUserAsync("fl" + Suffix, "manager", channel.Id);
        var id = (await Fx.IngestAsync(channel, "fl-" + Suffix, "cust-fl-" + Suffix, "Send me the contract", "Files " + Suffix))["conversationId"]!.GetValue<long>();
        await Page.SetViewportSizeAsync(390, 844);
        await Fx.OpenSignedInAsync(Page, manager.Email, path: $"/inbox/{id}");
        var composer = Page.Locator("form.composer");
        await Expect(composer).ToBeVisibleAsync();

        await composer.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "Contract_for_the_supply_of_goods_number_2026-12345_final_signed_version.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4 test"u8.ToArray(),
        });
        await Expect(composer.Locator(".pending-files li[data-status=ready]")).ToHaveCountAsync(1);

        var send = composer.GetByRole(AriaRole.Button, new() { Name = "Send" });
        var box = await send.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"Send is off the screen: {box.X}+{box.Width}");
        var remove = await composer.Locator(".pending-files li button").BoundingBoxAsync();
        Assert.NotNull(remove);
        Assert.True(remove.X + remove.Width <= 390, $"The file's remove button is off the screen: {remove.X}+{remove.Width}");
        var width = await Page.EvaluateAsync<double>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page scrolls sideways: {width}");
    }

    [Fact]
    public async Task A_message_that_comes_while_older_ones_are_read_is_announced_and_stays_unread_until_seen()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Reading " + Suffix);
        var manager = await Fx.CreateUserAsync("rd" + Suffix, "manager", channel.Id);
        long id = 0;
        for (var i = 0; i < 30; i++)
        {
            id = (await Fx.IngestAsync(channel, $"rd-{Suffix}-{i}", "cust-rd-" + Suffix, $"Message number {i}, long enough to take a line or two on a phone",
                "Reader " + Suffix))["conversationId"]!.GetValue<long>();
        }
        await Page.SetViewportSizeAsync(390, 844);
        await Fx.OpenSignedInAsync(Page, manager.Email, path: $"/inbox/{id}");
        var thread = Page.Locator("ol.messages");
        await Expect(thread.GetByText("Message number 29,")).ToBeVisibleAsync();
        await UnreadAsync(manager.Token, id, 0);

        await thread.EvaluateAsync("el => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); }");
        await Fx.IngestAsync(channel, $"rd-{Suffix}-late", "cust-rd-" + Suffix, "A question that came while you scrolled");
        var below = Page.GetByTestId("new-messages-below");
        await Expect(below).ToBeVisibleAsync();
        // Not marked read while it is out of sight (it was, within milliseconds of arriving).
        await Task.Delay(1500);
        Assert.Equal(1, await UnreadNowAsync(manager.Token, id));
        // The phone's closed menu says there is something unread (only the bell showed, which does not count messages).
        await Expect(Page.GetByTestId("menu-badge")).ToHaveTextAsync("1");

        await below.ClickAsync();
        await Expect(below).ToHaveCountAsync(0);
        await Expect(thread.GetByText("A question that came while you scrolled")).ToBeInViewportAsync();
        await UnreadAsync(manager.Token, id, 0);
        await Expect(Page.GetByTestId("menu-badge")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Opened_at_a_search_hit_far_up_a_message_that_comes_is_announced_and_a_short_thread_reads_it_at_once()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Hit " + Suffix);
        var manager = await Fx.CreateUserAsync("hit" + Suffix, "manager", channel.Id);
        long id = 0, hit = 0;
        for (var i = 0; i < 30; i++)
        {
            var stored = await Fx.IngestAsync(channel, $"hit-{Suffix}-{i}", "cust-hit-" + Suffix, $"Line {i} of a long story, long enough to take a line or two", "Hit " + Suffix);
            id = stored["conversationId"]!.GetValue<long>();
            hit = i == 10 ? stored["messageId"]!.GetValue<long>() : hit;
        }
        await Page.SetViewportSizeAsync(1280, 800);
        // Opened at a hit in the newest page (50 around it: up to 25 newer), far above its bottom (found by the review of this change: the first message after it
        // was marked read unseen, with no button).
        await Fx.OpenSignedInAsync(Page, manager.Email, path: $"/inbox/{id}?message={hit}");
        var thread = Page.Locator("ol.messages");
        await Expect(thread.GetByText("Line 10 of")).ToBeInViewportAsync();
        await UnreadAsync(manager.Token, id, 0);
        await Fx.IngestAsync(channel, $"hit-{Suffix}-late", "cust-hit-" + Suffix, "Are you still there?");
        await Expect(Page.GetByTestId("new-messages-below")).ToBeVisibleAsync();
        await Task.Delay(1500);
        Assert.Equal(1, await UnreadNowAsync(manager.Token, id));

        // A thread too short to scroll shows what comes: read at once, no button.
        var shortId = (await Fx.IngestAsync(channel, $"hit-{Suffix}-s0", "cust-short-" + Suffix, "Hi", "Short " + Suffix))["conversationId"]!.GetValue<long>();
        var first = (await Fx.IngestAsync(channel, $"hit-{Suffix}-s1", "cust-short-" + Suffix, "Hi again"))["messageId"]!.GetValue<long>();
        await Page.GotoAsync(Fx.BaseUrl + $"/inbox/{shortId}?message={first}");
        await Expect(thread.GetByText("Hi again")).ToBeVisibleAsync();
        await Fx.IngestAsync(channel, $"hit-{Suffix}-s2", "cust-short-" + Suffix, "Third short one");
        await Expect(thread.GetByText("Third short one")).ToBeVisibleAsync();
        await UnreadAsync(manager.Token, shortId, 0);
        await Expect(Page.GetByTestId("new-messages-below")).ToHaveCountAsync(0);
    }

    private async Task<long> UnreadNowAsync(string token, long id) =>
        (await Fx.ApiAsync(token, HttpMethod.Get, $"/api/conversations/{id}"))!["unreadCount"]!.GetValue<long>();

    private async Task UnreadAsync(string token, long id, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long now;
        while ((now = await UnreadNowAsync(token, id)) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.Equal(expected, now);
    }
}
