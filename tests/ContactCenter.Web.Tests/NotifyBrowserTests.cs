using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>
/// Notifications in real Chromium (issue #16): an @mention typed in a private note reaches the colleague's bell live and
/// as a desktop notification (permission granted to the test's browser context), and opens the conversation they could
/// not see before; the settings page in Russian and at 390x844.
/// </summary>
public sealed class NotifyBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    // Records every `new Notification(...)` (headless Chromium shows none) and answers the permission the user gave: the
    // test's grant. Chromium's headless shell says "denied" whatever the context was granted, the full browser "granted".
    private const string RecordNotifications = """
        (() => {
          const Real = window.Notification;
          window.__notes = [];
          function Recorder(title, options) {
            window.__notes.push({ title, body: (options && options.body) || '' });
            this.close = () => {};
            this.onclick = null;
          }
          Object.defineProperty(Recorder, 'permission', { get: () => 'granted' });
          Recorder.requestPermission = (...args) => Real.requestPermission(...args);
          window.Notification = Recorder;
        })();
        """;

    [Fact]
    public async Task A_mention_in_a_private_note_reaches_the_colleagues_bell_live_and_as_a_desktop_notification()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Mentions " + Suffix);
        var anna = await Fx.CreateUserAsync("anna" + Suffix, "manager", channel.Id);
        var boris = await Fx.CreateUserAsync("boris" + Suffix, "manager"); // not a member: cannot see the conversation yet
        var id = (await Fx.IngestAsync(channel, "m-" + Suffix, "cust-" + Suffix, "Where is my invoice?", "Vera"))["conversationId"]!.ToString();
        // Anna's conversation: Boris sees it only once she mentions him.
        using (var asAnna = Fx.App.Http(anna.Token))
        {
            (await asAnna.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = anna.Id })).EnsureSuccessStatusCode();
        }
        await Page.Context.GrantPermissionsAsync(["notifications"], new() { Origin = Fx.BaseUrl });
        await Page.Context.AddInitScriptAsync(RecordNotifications);
        await Fx.OpenSignedInAsync(Page, boris.Email);
        await Expect(Page.GetByTestId("notification-count")).ToHaveCountAsync(0);

        var annaPage = await Fx.NewPageAsync();
        await Fx.OpenSignedInAsync(annaPage, anna.Email);
        await annaPage.Locator($"[data-conversation-id='{id}']").ClickAsync();
        await annaPage.GetByLabel("Private note").CheckAsync();
        var note = annaPage.GetByRole(AriaRole.Textbox, new() { Name = "Private note" });
        await note.PressSequentiallyAsync("@boris" + Suffix[..3]);
        var option = annaPage.GetByTestId("mention-picker").GetByRole(AriaRole.Option, new() { Name = "@boris" + Suffix });
        await Expect(option).ToBeVisibleAsync();
        await note.PressAsync("Enter"); // picks the colleague, does not send
        await Expect(note).ToHaveValueAsync($"@boris{Suffix} ");
        await note.PressSequentiallyAsync("please check the invoice");
        await note.PressAsync("Enter");
        await Expect(note).ToHaveValueAsync("");

        await Expect(Page.GetByTestId("notification-count")).ToHaveTextAsync("1");
        await Page.WaitForFunctionAsync("() => window.__notes.length === 1");
        var desktop = await Page.EvaluateAsync<JsonElement>("() => window.__notes[0]");
        Assert.Equal("Mention", desktop.GetProperty("title").GetString());
        Assert.Contains("please check the invoice", desktop.GetProperty("body").GetString());
        Assert.Contains("anna" + Suffix, desktop.GetProperty("body").GetString());
        await annaPage.Context.CloseAsync();

        await Page.GetByTestId("notification-bell").ClickAsync();
        var item = Page.GetByTestId("notification-panel").Locator("li.unread");
        await Expect(item).ToContainTextAsync("please check the invoice");
        await Screenshot("notification-panel");
        await item.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"/inbox/{id}$"));
        await Expect(Page.GetByTestId("notification-count")).ToHaveCountAsync(0);
        await Expect(Page.Locator(".thread")).ToContainTextAsync("Where is my invoice?"); // the mention made Boris a participant

        // A participant reads and answers in a note; answering the customer, assigning and resolving are the channel's.
        using (var asBoris = Fx.App.Http(boris.Token))
        {
            var seen = System.Text.Json.Nodes.JsonNode.Parse(await asBoris.GetStringAsync($"/api/conversations/{id}"))!;
            Assert.True(seen["participant"]!.GetValue<bool>(), seen.ToJsonString());
        }
        await Expect(Page.GetByTestId("participant-notice")).ToBeVisibleAsync();
        // Anna's lead is not Boris's to open: the panel says so, with no card link that leads to "no such record".
        await Expect(Page.GetByTestId("crm-not-yours")).ToBeVisibleAsync();
        await Expect(Page.Locator(".side .open-card")).ToHaveCountAsync(0);
        await Expect(Page.Locator(".thread-head select")).ToHaveCountAsync(0);
        await Expect(Page.Locator(".thread-head").GetByRole(AriaRole.Button, new() { Name = "Resolve" })).ToHaveCountAsync(0);
        var noteMode = Page.GetByRole(AriaRole.Checkbox, new() { Name = "Private note" });
        await Expect(noteMode).ToBeCheckedAsync();
        await Expect(noteMode).ToBeDisabledAsync();
        var answer = Page.GetByRole(AriaRole.Textbox, new() { Name = "Private note" });
        await answer.FillAsync("the invoice went out on Monday");
        await answer.PressAsync("Enter");
        await Expect(answer).ToHaveValueAsync("");
        await Expect(Page.Locator(".messages")).ToContainTextAsync("the invoice went out on Monday");
        await Expect(Page.Locator(".thread .error")).ToHaveCountAsync(0);
        await Screenshot("participant-thread");
    }

    [Fact]
    public async Task The_settings_page_saves_kinds_sound_and_quiet_hours_in_Russian_and_fits_a_phone()
    {
        var manager = await Fx.CreateUserAsync("settings" + Suffix, "manager");
        await Fx.OpenSignedInAsync(Page, manager.Email);
        await Page.EvaluateAsync("() => localStorage.setItem('cc.lang', 'ru')");
        await Page.SetViewportSizeAsync(390, 844);
        await Page.GotoAsync(Fx.BaseUrl + "/settings");

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Настройки уведомлений" })).ToBeVisibleAsync();
        await Page.GetByLabel("Упоминание").UncheckAsync();
        await Page.GetByLabel("Звуковой сигнал").UncheckAsync();
        var quiet = Page.GetByLabel("Тихие часы (без уведомлений на рабочем столе и звука)");
        // The checkbox starts its label's first line (its text dropped under it at 390 px).
        var gap = await quiet.EvaluateAsync<double>("""
            b => {
              const text = [...b.closest('label').childNodes].find(n => n !== b && n.textContent.trim() !== '');
              const range = document.createRange();
              range.selectNodeContents(text);
              return range.getClientRects()[0].top - b.getBoundingClientRect().bottom;
            }
            """);
        Assert.True(gap < 0, $"the quiet hours label starts {gap:0} px below its checkbox at 390 px");
        await quiet.CheckAsync();
        await Page.GetByLabel("С", new() { Exact = true }).FillAsync("21:30");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Сохранить" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Сохранено");
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        await Screenshot("settings-phone-ru");

        var saved = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, "/api/me/settings"))!;
        Assert.False(saved["notifications"]!["mention"]!.GetValue<bool>());
        Assert.True(saved["notifications"]!["assigned"]!.GetValue<bool>());
        Assert.False(saved["sound"]!.GetValue<bool>());
        Assert.Equal("21:30", saved["quietHours"]!["from"]!.GetValue<string>());
        Assert.Equal("08:00", saved["quietHours"]!["to"]!.GetValue<string>());

        await Page.GetByTestId("notification-bell").ClickAsync();
        await Expect(Page.GetByTestId("notification-panel")).ToContainTextAsync("Ничего нового.");
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
    }
}
