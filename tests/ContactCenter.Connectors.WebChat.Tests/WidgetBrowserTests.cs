using System.Net.Http.Json;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Connectors.WebChat.Tests;

/// <summary>A visitor on a third-party page and a manager hold a live chat, in real headless Chromium.</summary>
public sealed class WidgetBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_visitor_and_a_manager_chat_live_and_the_history_survives_a_reload()
    {
        var channel = await fixture.CreateWebchatAsync(greeting: "Hi! How can we help?", origins: fixture.SiteUrl);
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var inbox = new HubRecorder(hub);
        await using var context = await fixture.NewVisitorAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{fixture.SiteUrl}/?key={channel.Key}");

        // The visitor opens the chat on the shop's page and writes (markup in the text stays text).
        await page.GetByRole(AriaRole.Button, new() { Name = "Open chat" }).ClickAsync();
        await Expect(page.GetByText("Hi! How can we help?")).ToBeVisibleAsync();
        await page.GetByLabel("Message").FillAsync("Do you have <b>size 42</b>?");
        await page.GetByLabel("Message").PressAsync("Enter");

        // The manager's SignalR client hears it, and the manager replies.
        var inbound = await inbox.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "Do you have <b>size 42</b>?");
        var conversationId = inbound["conversationId"]!.GetValue<long>();
        var mine = page.Locator(".b.in", new() { HasText = "size 42" });
        await Expect(mine).ToHaveCountAsync(1);
        Assert.Equal(0, await mine.Locator("b").CountAsync());
        await inbox.WaitForAsync("conversationUpdated", c => c["id"]!.GetValue<long>() == conversationId);
        // Typing hints are fire-and-forget (a hint sent before the widget joined is lost), so like a real
        // manager's client the test repeats it while "typing".
        var typing = page.GetByText("mia is typing…");
        for (var i = 0; i < 40 && !await typing.IsVisibleAsync(); i++)
        {
            await hub.InvokeAsync("Typing", conversationId);
            await Task.Delay(250);
        }
        await Expect(typing).ToBeVisibleAsync();
        using var http = fixture.App.Http(manager.Token);
        (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "Yes, in blue and black." })).EnsureSuccessStatusCode();

        // The visitor sees the reply without reloading.
        await Expect(page.Locator(".b.out", new() { HasText = "Yes, in blue and black." })).ToBeVisibleAsync();

        // Closed panel: a new reply lights the unread dot; opening clears it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Close chat" }).First.ClickAsync();
        (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "Anything else?" })).EnsureSuccessStatusCode();
        await Expect(page.Locator(".d.on")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Open chat" }).ClickAsync();
        await Expect(page.Locator(".d.on")).ToHaveCountAsync(0);

        // After a reload the same conversation and its history are there.
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Open chat" }).ClickAsync();
        await Expect(page.Locator(".b[data-id]")).ToHaveCountAsync(3);
        await Expect(page.Locator(".b.in", new() { HasText = "Do you have <b>size 42</b>?" })).ToBeVisibleAsync();
        await Expect(page.Locator(".b.out", new() { HasText = "Anything else?" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "cc-widget-desktop.png") });

        // And it still hears the manager live after the reload.
        (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "Still here." })).EnsureSuccessStatusCode();
        await Expect(page.Locator(".b.out", new() { HasText = "Still here." })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_reply_sent_while_the_connection_is_down_arrives_after_the_reconnect()
    {
        var channel = await fixture.CreateWebchatAsync(origins: fixture.SiteUrl);
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var inbox = new HubRecorder(hub);
        await using var context = await fixture.NewVisitorAsync();
        // The test's hand on the network: it can drop the page's WebSockets and refuse new ones.
        await context.AddInitScriptAsync("""
            const Real = window.WebSocket;
            window.__sockets = [];
            window.WebSocket = function (url) {
                const socket = new Real(window.__blockWs ? 'ws://127.0.0.1:9/' : url);
                window.__sockets.push(socket);
                return socket;
            };
            """);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{fixture.SiteUrl}/?key={channel.Key}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open chat" }).ClickAsync();
        await page.GetByLabel("Message").FillAsync("Are you open on Sunday?");
        await page.GetByLabel("Message").PressAsync("Enter");
        var inbound = await inbox.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "Are you open on Sunday?");
        var conversationId = inbound["conversationId"]!.GetValue<long>();
        await page.WaitForFunctionAsync("window.__sockets.some(s => s.readyState === 1)");

        await page.EvaluateAsync("window.__blockWs = true; window.__sockets.forEach(s => s.close())");
        using var http = fixture.App.Http(manager.Token);
        var reply = (await (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "Yes, 10 to 4." }))
            .Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;
        await inbox.WaitForAsync("messageUpdated", m => m["id"]!.GetValue<long>() == reply["id"]!.GetValue<long>() && m["status"]!.GetValue<string>() == "sent");
        // The reply was pushed (the manager's own connection heard it as sent) while no socket of the page was open to the
        // hub: the blocked ones go to port 9. So it can only come from the catch-up after the reconnect below.
        Assert.True(await page.EvaluateAsync<bool>(
            "window.__sockets.every(s => s.readyState !== WebSocket.OPEN || s.url.startsWith('ws://127.0.0.1:9/'))"));
        Assert.Equal(0, await page.Locator(".b.out", new() { HasText = "Yes, 10 to 4." }).CountAsync());

        await page.EvaluateAsync("window.__blockWs = false");

        await Expect(page.Locator(".b.out", new() { HasText = "Yes, 10 to 4." })).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator(".b[data-id]")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task A_tab_opened_before_the_chat_started_continues_the_same_conversation()
    {
        var channel = await fixture.CreateWebchatAsync(origins: fixture.SiteUrl);
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var inbox = new HubRecorder(hub);
        await using var context = await fixture.NewVisitorAsync(new ViewportSize { Width = 390, Height = 844 });
        // Two tabs of the shop, both loaded before the visitor first opens the chat (they share localStorage).
        var first = await context.NewPageAsync();
        await first.GotoAsync($"{fixture.SiteUrl}/?key={channel.Key}");
        var second = await context.NewPageAsync();
        await second.GotoAsync($"{fixture.SiteUrl}/?key={channel.Key}");

        await first.GetByRole(AriaRole.Button, new() { Name = "Open chat" }).ClickAsync();
        await first.GetByLabel("Message").FillAsync("Hello from the first tab");
        await first.GetByLabel("Message").PressAsync("Enter");
        var inbound = await inbox.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "Hello from the first tab");
        var conversationId = inbound["conversationId"]!.GetValue<long>();

        // The other tab hears the manager's reply too (the unread dot), and its chat is the same conversation.
        await first.GetByRole(AriaRole.Button, new() { Name = "Close chat" }).First.ClickAsync();
        using var http = fixture.App.Http(manager.Token);
        (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "Hi! Which size?" })).EnsureSuccessStatusCode();
        await Expect(second.Locator(".d.on")).ToBeVisibleAsync();
        await second.GetByRole(AriaRole.Button, new() { Name = "Open chat" }).ClickAsync();
        await Expect(second.Locator(".b.in", new() { HasText = "Hello from the first tab" })).ToBeVisibleAsync();
        await second.GetByLabel("Message").FillAsync("42, please");
        await second.GetByLabel("Message").PressAsync("Enter");
        await inbox.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "42, please" && m["conversationId"]!.GetValue<long>() == conversationId);
        await Expect(first.Locator(".b.in", new() { HasText = "42, please" })).ToHaveCountAsync(1);

        Assert.Equal(1, await fixture.CountAsync("conversations"));
        await first.ReloadAsync();
        await first.GetByRole(AriaRole.Button, new() { Name = "Open chat" }).ClickAsync();
        await Expect(first.Locator(".b[data-id]")).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task A_message_the_service_refuses_goes_back_into_the_composer_instead_of_vanishing()
    {
        var channel = await fixture.CreateWebchatAsync(origins: fixture.SiteUrl);
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        await using var context = await fixture.NewVisitorAsync(new ViewportSize { Width = 390, Height = 844 }, locale: "ru-RU");
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{fixture.SiteUrl}/?key={channel.Key}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Открыть чат" }).ClickAsync();
        await page.GetByLabel("Сообщение").FillAsync("Здравствуйте");
        await page.GetByLabel("Сообщение").PressAsync("Enter");
        await Expect(page.Locator(".b.in:not(.pending)", new() { HasText = "Здравствуйте" })).ToBeVisibleAsync();

        // The shop switches the chat off while the visitor writes their question.
        using var admin = fixture.App.Http(fixture.AdminToken);
        (await admin.PatchAsJsonAsync($"/api/channels/{channel.Id}", new { enabled = false })).EnsureSuccessStatusCode();
        const string question = "Подскажите, пожалуйста, есть ли доставка в Казань до пятницы?";
        await page.GetByLabel("Сообщение").FillAsync(question);
        await page.GetByLabel("Сообщение").PressAsync("Enter");

        await Expect(page.GetByText("Чат сейчас недоступен.")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Сообщение")).ToHaveValueAsync(question);
        await Expect(page.Locator(".b.in", new() { HasText = "Казань" })).ToHaveCountAsync(0);
        Assert.Equal(1, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task A_message_with_half_an_emoji_is_sent_with_a_replacement_character_instead_of_being_refused()
    {
        var channel = await fixture.CreateWebchatAsync(origins: fixture.SiteUrl);
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var inbox = new HubRecorder(hub);
        await using var context = await fixture.NewVisitorAsync(new ViewportSize { Width = 390, Height = 844 }, locale: "ru-RU");
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{fixture.SiteUrl}/?key={channel.Key}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Открыть чат" }).ClickAsync();

        // A paste that cut an emoji in half: a lone high surrogate, which JSON carries as "\ud83d" and the service cannot read.
        await page.GetByLabel("Сообщение").EvaluateAsync("el => { el.value = 'Сколько стоит \\uD83D?'; }");
        await page.GetByLabel("Сообщение").PressAsync("Enter");

        var stored = await inbox.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>().StartsWith("Сколько стоит", StringComparison.Ordinal));
        Assert.Equal("Сколько стоит \uFFFD?", stored["text"]!.GetValue<string>());
        await Expect(page.Locator(".b.in:not(.pending)", new() { HasText = "Сколько стоит" })).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator(".n").CountAsync());
    }

    [Fact]
    public async Task A_page_that_passes_an_email_the_service_refuses_still_lets_the_visitor_chat()
    {
        var channel = await fixture.CreateWebchatAsync(origins: fixture.SiteUrl);
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var inbox = new HubRecorder(hub);
        await using var context = await fixture.NewVisitorAsync(new ViewportSize { Width = 390, Height = 844 });
        var page = await context.NewPageAsync();
        // The shop renders its signed-in customer's email from its own records, where it is not a deliverable address.
        await page.GotoAsync($"{fixture.SiteUrl}/?key={channel.Key}&email={Uri.EscapeDataString("ivan@intranet")}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Open chat" }).ClickAsync();
        await page.GetByLabel("Message").FillAsync("Is my order shipped?");
        await page.GetByLabel("Message").PressAsync("Enter");

        await inbox.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "Is my order shipped?");
        await Expect(page.Locator(".b.in:not(.pending)", new() { HasText = "Is my order shipped?" })).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator(".n").CountAsync());
    }

    [Fact]
    public async Task On_a_phone_sized_screen_the_panel_fills_the_screen_without_scrolling_sideways()
    {
        var channel = await fixture.CreateWebchatAsync(origins: fixture.SiteUrl);
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        await using var context = await fixture.NewVisitorAsync(new ViewportSize { Width = 390, Height = 844 });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{fixture.SiteUrl}/?key={channel.Key}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Open chat" }).ClickAsync();
        await page.GetByLabel("Message").FillAsync("hello from my phone");
        await page.GetByLabel("Message").PressAsync("Enter");
        await Expect(page.Locator(".b.in:not(.pending)", new() { HasText = "hello from my phone" })).ToBeVisibleAsync();

        var box = await page.Locator(".p").BoundingBoxAsync();
        Assert.Equal((0f, 0f, 390f, 844f), (box!.X, box.Y, box.Width, box.Height));
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        Assert.True(await page.Locator(".m").EvaluateAsync<bool>("m => m.scrollWidth <= m.clientWidth"));
        var composer = await page.Locator(".f").BoundingBoxAsync();
        Assert.True(composer!.X >= 0 && composer.X + composer.Width <= 390, $"composer {composer.X}+{composer.Width}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "cc-widget-phone.png") });
    }

    [Fact]
    public async Task A_page_that_is_not_allowed_gets_no_chat_and_stores_nothing()
    {
        var channel = await fixture.CreateWebchatAsync(origins: "https://shop.example");
        await using var context = await fixture.NewVisitorAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{fixture.SiteUrl}/?key={channel.Key}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Open chat" }).ClickAsync();

        await Expect(page.Locator(".n", new() { HasText = "may not use this channel" })).ToBeVisibleAsync();
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }
}
