using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>
/// Issue #16, the phone helper's area in real Chromium: the 390x844 layout of every main screen (EN and RU), the PWA
/// (manifest, service worker, offline notice), the keyboard shortcuts and the contact profile.
/// </summary>
public sealed partial class PhoneBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    private const string AdminEmail = "admin@test.local";
    private const string AdminPassword = "admin-password-1";

    private sealed record Words(string Email, string Password, string SignIn, string Reply, string Send);

    private static Words For(string locale) => locale.StartsWith("ru", StringComparison.Ordinal)
        ? new("Эл. почта", "Пароль", "Войти", "Ответ", "Отправить")
        : new("Email", "Password", "Sign in", "Reply", "Send");

    private async Task<IPage> PhoneAsync(string locale)
    {
        var context = await Fx.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = locale, IsMobile = true, HasTouch = true,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>The sign-in form in the page's language, then the hub connected (the phone header hides "Sign out").</summary>
    private static async Task SignInAsync(IPage page, Words w, string email, string password)
    {
        await page.GetByLabel(w.Email).FillAsync(email);
        await page.GetByLabel(w.Password).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = w.SignIn }).ClickAsync();
        await page.WaitForFunctionAsync("() => window.__cc && window.__cc.hub.status.state === 'connected'");
    }

    /// <summary>Nothing scrolls sideways: neither the document nor the app's main area (a board scrolls inside itself).</summary>
    private static async Task AssertFitsAsync(IPage page, string screen)
    {
        var m = await page.EvaluateAsync<JsonElement>("""
            () => { const m = document.querySelector('main.content');
                    return { doc: document.documentElement.scrollWidth, inner: window.innerWidth,
                             main: m ? m.scrollWidth - m.clientWidth : 0 }; }
            """);
        Assert.True(m.GetProperty("doc").GetDouble() <= m.GetProperty("inner").GetDouble(), $"{screen}: the page scrolls sideways: {m}");
        Assert.True(m.GetProperty("main").GetDouble() <= 0, $"{screen}: the main area scrolls sideways: {m}");
    }

    /// <summary>The inbox is an app shell: the list and the thread scroll inside their panes, the page itself never does
    /// (anything above the header, such as stray text, would push the reply box below the screen).</summary>
    private static async Task AssertNoPageScrollAsync(IPage page, string screen)
    {
        var m = await page.EvaluateAsync<JsonElement>("() => ({ doc: document.documentElement.scrollHeight, inner: window.innerHeight })");
        Assert.True(m.GetProperty("doc").GetDouble() <= m.GetProperty("inner").GetDouble(), $"{screen}: the page scrolls up and down: {m}");
    }

    [Theory]
    [InlineData("en-GB")]
    [InlineData("ru-RU")]
    public async Task On_a_390_px_phone_every_main_screen_fits_and_a_conversation_can_be_opened_answered_and_left(string locale)
    {
        var w = For(locale);
        var channel = await Fx.CreateApiChannelAsync(null, "Phone channel with a long name " + Suffix);
        var id = (await Fx.IngestAsync(channel, "p-" + Suffix, "cust-" + Suffix,
            "Hello, I would like to know whether the order number 12345678901234567890 has shipped already", "Konstantin Konstantinopolsky " + Suffix))["conversationId"]!.ToString();
        var page = await PhoneAsync(locale);
        try
        {
            await page.GotoAsync(Fx.BaseUrl + "/");
            await Expect(page.GetByLabel(w.Password)).ToBeVisibleAsync();
            await AssertFitsAsync(page, "sign-in");
            await SignInAsync(page, w, AdminEmail, AdminPassword);

            // The list is the screen; the header is one row with a menu button.
            var row = page.Locator($"[data-conversation-id='{id}']");
            await Expect(row).ToBeVisibleAsync();
            await Expect(page.Locator(".topbar nav")).ToBeHiddenAsync();
            await Expect(page.GetByTestId("menu-button")).ToBeVisibleAsync();
            await AssertFitsAsync(page, "inbox list");
            await AssertNoPageScrollAsync(page, "inbox list");

            // Open -> the thread replaces the list; reply; the panel and the profile are their own screens with a way back.
            await row.ClickAsync();
            var thread = page.Locator("section.thread");
            await Expect(thread.Locator(".thread-head h2")).ToContainTextAsync("Konstantin");
            await Expect(page.Locator(".list-pane")).ToBeHiddenAsync();
            await AssertFitsAsync(page, "thread");
            await AssertNoPageScrollAsync(page, "thread");
            await page.Locator(".composer textarea").FillAsync("It left the warehouse today " + Suffix);
            await page.Locator(".composer button[type=submit]").ClickAsync();
            await Expect(page.Locator(".message.outbound").Filter(new() { HasText = "left the warehouse today " + Suffix })).ToBeVisibleAsync();
            await AssertFitsAsync(page, "thread after a reply");

            await page.GetByTestId("open-panel").ClickAsync();
            await Expect(page.Locator("aside.side")).ToBeVisibleAsync();
            await Expect(thread).ToBeHiddenAsync();
            await AssertFitsAsync(page, "side panel");
            var side = (await page.Locator("aside.side").BoundingBoxAsync())!;
            Assert.True(side.X <= 1 && side.Width >= 389, $"the panel is not the whole screen: {side.X}+{side.Width}");
            await page.GetByTestId("panel-back").ClickAsync();
            await Expect(thread).ToBeVisibleAsync();

            await page.GetByTestId("open-profile").ClickAsync();
            var profile = page.GetByTestId("contact-profile");
            await Expect(profile.GetByTestId("profile-name")).ToContainTextAsync("Konstantin");
            var box = (await profile.BoundingBoxAsync())!;
            Assert.True(box.X <= 1 && box.Width >= 389, $"the profile is not the whole screen: {box.X}+{box.Width}");
            await AssertFitsAsync(page, "contact profile");
            await profile.Locator("button.back").ClickAsync();
            await Expect(profile).ToBeHiddenAsync();

            await page.GetByTestId("thread-back").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/inbox$"));
            await Expect(row).ToBeVisibleAsync();

            // Every other main screen, reached through the menu.
            foreach (var (path, ready) in new[] { ("/deals", ".board"), ("/activities", ".activities-page .page-head"), ("/supervisor", "main.content .page-head"), ("/admin", ".admin [role=tablist]") })
            {
                await page.GetByTestId("menu-button").ClickAsync();
                await page.Locator($".topbar nav a[href='{path}']").ClickAsync();
                await Expect(page.Locator(ready).First).ToBeVisibleAsync();
                await Expect(page.Locator(".topbar nav")).ToBeHiddenAsync(); // the menu closes on navigation
                await AssertFitsAsync(page, path);
            }
            var tabs = page.Locator(".admin > [role=tablist] > [role=tab]");
            var count = await tabs.CountAsync();
            Assert.True(count >= 5, $"admin tabs: {count}");
            for (var i = 0; i < count; i++)
            {
                await tabs.Nth(i).ClickAsync();
                await Expect(tabs.Nth(i)).ToHaveAttributeAsync("aria-selected", "true");
                // The tab's data has arrived (no loading line left) before it is measured.
                await page.WaitForFunctionAsync("""
                    () => { const p = document.querySelector('.admin [role=tabpanel]');
                            return p && p.children.length > 0 && !/Loading|Загрузка/.test(p.textContent); }
                    """);
                await AssertFitsAsync(page, "admin tab " + await tabs.Nth(i).InnerTextAsync());
            }
            await tabs.First.ClickAsync();
            await page.Locator(".channels-tab > .row button.primary").ClickAsync();
            await Expect(page.Locator(".channel-wizard")).ToBeVisibleAsync();
            await AssertFitsAsync(page, "channel wizard");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Without_the_mouse_a_manager_opens_the_next_conversation_assigns_it_replies_and_resolves()
    {
        Callback.Given(Request.Create().WithPath("/cb").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var channel = await Fx.CreateApiChannelAsync(Callback.Url + "/cb", "Keys " + Suffix);
        var manager = await Fx.CreateUserAsync("keys" + Suffix, "manager", channel.Id);
        var first = (await Fx.IngestAsync(channel, "k1-" + Suffix, "c1-" + Suffix, "First question", "Alice"))["conversationId"]!.ToString();
        var second = (await Fx.IngestAsync(channel, "k2-" + Suffix, "c2-" + Suffix, "Second question", "Bob"))["conversationId"]!.ToString();
        await Fx.OpenSignedInAsync(Page, manager.Email);
        await Expect(Page.Locator($"[data-conversation-id='{first}']")).ToBeVisibleAsync();
        await Page.Locator("body").FocusAsync();
        var order = await Page.Locator(".conversations [role=option]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.conversationId)");

        await Page.Keyboard.PressAsync("j");
        await Expect(Page).ToHaveURLAsync(new Regex($"/inbox/{order[0]}$"));
        await Page.Keyboard.PressAsync("j");
        await Expect(Page).ToHaveURLAsync(new Regex($"/inbox/{order[1]}$"));
        await Page.Keyboard.PressAsync("k");
        await Expect(Page).ToHaveURLAsync(new Regex($"/inbox/{order[0]}$"));
        var id = order[0];
        var head = Page.Locator(".thread-head");
        await Expect(head.Locator("[data-shortcut='assign-me']")).ToBeVisibleAsync();

        await Page.Keyboard.PressAsync("a");
        await Expect(head.Locator("[data-shortcut='assign-me']")).ToHaveCountAsync(0);
        Assert.Equal(manager.Id, (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/conversations/{id}"))!["assignee"]!["id"]!.GetValue<long>());

        // r: the reply box, focused; letters typed there are text, not shortcuts (this one has j, k, a, e, s, l, n, r).
        await Page.Keyboard.PressAsync("r");
        var composer = Page.Locator(".composer textarea");
        await Expect(composer).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync("Just a second, I will check the delivery");
        await Page.Keyboard.PressAsync("Enter");
        // Sent and answered (the composer takes the focus back when the send settles, so wait for that first).
        await Expect(Page.Locator(".message.outbound").Filter(new() { HasText = "Just a second, I will check the delivery" })).ToHaveAttributeAsync("data-status", new Regex("^(sent|delivered|read)$"));
        await Expect(Page).ToHaveURLAsync(new Regex($"/inbox/{id}$"));
        await Expect(Page.GetByTestId("conversation-status")).ToHaveTextAsync("Open");

        // Escape leaves the field; `?` lists the shortcuts and Escape closes the list; `e` resolves.
        await Page.Keyboard.PressAsync("Escape");
        await Page.Keyboard.PressAsync("?");
        var dialog = Page.GetByRole(AriaRole.Dialog, new() { Name = "Keyboard shortcuts" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("Assign to me");
        await Page.Keyboard.PressAsync("e"); // nothing happens behind an open dialog
        await Page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("conversation-status")).ToHaveTextAsync("Open");
        await Page.Keyboard.PressAsync("e");
        await Expect(Page.GetByTestId("conversation-status")).ToHaveTextAsync("Resolved");
        Assert.Equal("resolved", (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/conversations/{id}"))!["status"]!.GetValue<string>());

        // n: a private note, by keyboard too.
        await Page.Keyboard.PressAsync("n");
        await Expect(Page.Locator(".composer.note textarea")).ToBeFocusedAsync();

        // Ctrl+K works even from inside a field: the search box.
        await Page.Keyboard.PressAsync("Control+k");
        await Expect(Page.Locator("input[data-shortcut='search']")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task The_profile_opened_from_the_thread_edits_the_name_and_the_thread_and_list_show_it()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Profile " + Suffix);
        var manager = await Fx.CreateUserAsync("prof" + Suffix, "manager", channel.Id);
        var id = (await Fx.IngestAsync(channel, "pr-" + Suffix, "pc-" + Suffix, "Hi there", "Pat"))["conversationId"]!.ToString();
        await Fx.OpenSignedInAsync(Page, manager.Email);
        var row = Page.Locator($"[data-conversation-id='{id}']");
        await row.ClickAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Open the profile of Pat" }).ClickAsync();
        var profile = Page.GetByRole(AriaRole.Dialog, new() { Name = "Contact profile" });
        await Expect(profile.GetByTestId("profile-name")).ToHaveTextAsync("Pat");
        await Expect(profile).ToContainTextAsync("pc-" + Suffix); // the identity
        await Expect(profile).ToContainTextAsync("Profile " + Suffix); // the conversation's channel
        var drawer = (await profile.BoundingBoxAsync())!;
        Assert.True(drawer.X > 700, $"on a wide screen the profile is a drawer at the right: {drawer.X}");

        await profile.GetByRole(AriaRole.Button, new() { Name = "Edit contact" }).ClickAsync();
        await profile.GetByLabel("Phone").FillAsync("12345");
        await profile.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(profile.GetByRole(AriaRole.Alert)).ToContainTextAsync("international");
        await profile.GetByLabel("Name").FillAsync("Patricia Moss");
        await profile.GetByLabel("Phone").FillAsync("+44 20 7946 0958");
        // An address in Cyrillic is saved as typed (an input of type email sent it as punycode: one address, two forms).
        await profile.GetByLabel("Email").FillAsync("pat@почта.рф");
        await profile.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(profile.GetByTestId("profile-name")).ToHaveTextAsync("Patricia Moss");
        await Expect(profile).ToContainTextAsync("+442079460958");
        await Page.Keyboard.PressAsync("Escape");
        await Expect(profile).ToHaveCountAsync(0);
        await Expect(Page.Locator(".thread-head h2")).ToContainTextAsync("Patricia Moss");
        await Expect(row.Locator(".contact-name")).ToHaveTextAsync("Patricia Moss");
        var server = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/conversations/{id}"))!;
        Assert.Equal("+442079460958", server["contact"]!["phone"]!.GetValue<string>());
        var contact = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/contacts/{server["contact"]!["id"]}"))!;
        Assert.Equal("pat@почта.рф", contact["email"]!.GetValue<string>());
    }
}
