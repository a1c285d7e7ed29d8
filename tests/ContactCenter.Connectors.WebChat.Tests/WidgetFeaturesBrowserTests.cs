using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Connectors.WebChat.Tests;

/// <summary>The widget's languages, files, typing both ways, read marks, pre-chat and offline forms, in real headless Chromium.</summary>
public sealed class WidgetFeaturesBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<WebChatFixture.SiteChannel> ChannelAsync(JsonObject? extra = null)
    {
        var settings = new JsonObject { ["allowedOrigins"] = new JsonArray(fixture.SiteUrl) };
        foreach (var (name, value) in extra ?? [])
        {
            settings[name] = value?.DeepClone();
        }
        return fixture.CreateChannelAsync("webchat", settings, "Website chat");
    }

    [Fact]
    public async Task A_message_not_answered_before_a_reload_is_sent_after_it_once()
    {
        var channel = await ChannelAsync();
        var manager = await fixture.CreateManagerAsync("mia", "Mia", [channel.Id]);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var inbox = new HubRecorder(hub);
        await using var context = await fixture.NewVisitorAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{fixture.SiteUrl}/?key={channel.Key}");
        await page.Locator(".l").ClickAsync();
        await page.GetByLabel("Message").FillAsync("First, stored");
        await page.GetByLabel("Message").PressAsync("Enter");
        await Expect(page.Locator(".b.in:not(.pending)", new() { HasText = "First, stored" })).ToBeVisibleAsync();

        // The network drops the next message on the way out: it never reached the service.
        await page.RouteAsync("**/api/widget/messages", route => route.Request.Method == "POST" ? route.AbortAsync() : route.ContinueAsync());
        await page.GetByLabel("Message").FillAsync("Second, lost on the way");
        await page.GetByLabel("Message").PressAsync("Enter");
        await Expect(page.Locator(".b.in.failed", new() { HasText = "Second, lost on the way" })).ToBeVisibleAsync();
        await page.UnrouteAllAsync();
        // And the answer to the third is lost on the way back: the service stored it, and the page hears of it only
        // through the live connection (which replaces the pending copy: nothing left to send for it).
        await page.RouteAsync("**/api/widget/messages", async route =>
        {
            if (route.Request.Method != "POST")
            {
                await route.ContinueAsync();
                return;
            }
            await route.FetchAsync();
            await route.AbortAsync();
        });
        await page.GetByLabel("Message").FillAsync("Third, answer lost");
        await page.GetByLabel("Message").PressAsync("Enter");
        await Expect(page.Locator(".b.in:not(.pending):not(.failed)", new() { HasText = "Third, answer lost" })).ToBeVisibleAsync();
        Assert.Equal(2, await fixture.CountAsync("messages"));
        await page.UnrouteAllAsync();

        // The visitor reloads and does not even open the chat: the second is sent, nothing is stored twice.
        await page.ReloadAsync();
        await inbox.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "Second, lost on the way");
        await page.Locator(".l").ClickAsync();
        await Expect(page.Locator(".b.in")).ToHaveCountAsync(3);
        await Expect(page.Locator(".b.in.pending, .b.in.failed")).ToHaveCountAsync(0);
        // Nothing else was waiting: the next message is the fourth stored (the live marker for "no other resend").
        await page.GetByLabel("Message").FillAsync("Fourth");
        await page.GetByLabel("Message").PressAsync("Enter");
        await inbox.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "Fourth");
        await using var db = fixture.Db();
        Assert.Equal(["First, stored", "Third, answer lost", "Second, lost on the way", "Fourth"],
            (await db.QueryAsync<string>("select text from messages order by id")).ToList());
    }

    [Fact]
    public async Task A_russian_widget_speaks_russian_shows_the_managers_typing_and_read_and_the_visitors_typing_reaches_the_manager()
    {
        var channel = await ChannelAsync(new JsonObject { ["language"] = "ru" });
        var manager = await fixture.CreateManagerAsync("anna", "Анна", [channel.Id]);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var inbox = new HubRecorder(hub);
        await using var context = await fixture.NewVisitorAsync(); // an English browser: the channel's setting wins
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{fixture.SiteUrl}/?key={channel.Key}");

        // Before its first session the launcher can only follow the browser; from the session on, the channel's language.
        await page.Locator(".l").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Закрыть чат" }).First).ToBeVisibleAsync();
        await Expect(page.Locator(".ti")).ToHaveTextAsync("Напишите нам");
        await Expect(page.GetByLabel("Сообщение")).ToHaveAttributeAsync("placeholder", "Напишите сообщение…");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Отправить" })).ToBeVisibleAsync();
        await page.GetByLabel("Сообщение").FillAsync("Здравствуйте, есть доставка?");
        await page.GetByLabel("Сообщение").PressAsync("Enter");
        var inbound = await inbox.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "Здравствуйте, есть доставка?");
        var conversationId = inbound["conversationId"]!.GetValue<long>();
        await Expect(page.Locator(".b.in:not(.pending)", new() { HasText = "Здравствуйте" })).ToBeVisibleAsync();

        // The manager types as the web app does (the inbox hub's Typing, repeated while typing): the widget says so in Russian.
        var typing = page.GetByText("Анна печатает…");
        for (var i = 0; i < 40 && !await typing.IsVisibleAsync(); i++)
        {
            await hub.InvokeAsync("Typing", conversationId);
            await Task.Delay(250);
        }
        await Expect(typing).ToBeVisibleAsync();

        // The visitor types: the manager's inbox hears the customer typing.
        await page.GetByLabel("Сообщение").PressSequentiallyAsync("Ещё вопрос", new() { Delay = 50 });
        var customerTyping = await inbox.WaitForAsync("typing", e => e["customer"]?.GetValue<bool>() == true);
        Assert.Equal(conversationId, customerTyping["conversationId"]!.GetValue<long>());

        // The manager reads the conversation (the inbox's MarkRead): the visitor's message shows "read".
        Assert.Equal(0, await page.Locator(".b.in.rd").CountAsync());
        await hub.InvokeAsync("MarkRead", conversationId, (long?)null);
        await Expect(page.Locator(".b.in.rd", new() { HasText = "Прочитано" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "cc-widget-ru.png") });
    }

    [Fact]
    public async Task With_language_auto_a_russian_browser_gets_russian_and_the_channels_own_texts()
    {
        var channel = await ChannelAsync(new JsonObject
        {
            ["strings"] = new JsonObject { ["ru"] = new JsonObject { ["title"] = "Чат магазина", ["greeting"] = "Добрый день! Чем помочь?" } },
        });
        await using var context = await fixture.NewVisitorAsync(locale: "ru-RU");
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{fixture.SiteUrl}/?key={channel.Key}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Открыть чат" }).ClickAsync();

        await Expect(page.Locator(".ti")).ToHaveTextAsync("Чат магазина");
        await Expect(page.GetByText("Добрый день! Чем помочь?")).ToBeVisibleAsync();
        // Nobody is online: the offline form, in Russian too.
        await Expect(page.GetByText("Сейчас нас нет в сети.", new() { Exact = false })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Отправить сообщение" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_visitor_uploads_a_file_the_manager_sees_it_and_the_managers_image_shows_in_the_widget()
    {
        var channel = await ChannelAsync();
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var inbox = new HubRecorder(hub);
        await using var context = await fixture.NewVisitorAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{fixture.SiteUrl}/?key={channel.Key}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open chat" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Attach a file" })).ToBeVisibleAsync();

        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "plan.pdf", MimeType = "application/pdf", Buffer = WidgetUploadTests.Pdf });

        var inbound = await inbox.WaitForAsync("messageCreated", m => m["attachments"]?.AsArray().Count == 1);
        var conversationId = inbound["conversationId"]!.GetValue<long>();
        await Expect(page.Locator(".b.in:not(.pending) a", new() { HasText = "plan.pdf" })).ToBeVisibleAsync();
        using var http = fixture.App.Http(manager.Token);
        var thread = (await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages"))!;
        var file = thread["items"]!.AsArray().Single()!["attachments"]!.AsArray().Single()!;
        Assert.Equal("plan.pdf", file["fileName"]!.GetValue<string>());
        Assert.Equal(WidgetUploadTests.Pdf, await (await http.GetAsync(file["url"]!.GetValue<string>())).Content.ReadAsByteArrayAsync());

        // Too big for the channel: refused in the widget before anything is sent.
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "huge.pdf", MimeType = "application/pdf", Buffer = new byte[(1024 * 1024) + 10] });
        await Expect(page.Locator(".n", new() { HasText = "The file is larger than 1 MB." })).ToBeVisibleAsync();

        var image = await AppFixture.UploadIdAsync(http, conversationId, "photo.png", ValidPng(), "image/png");
        (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "Our showroom", attachmentIds = new[] { image } })).EnsureSuccessStatusCode();
        var shown = page.Locator(".b.out img[alt='photo.png']");
        await Expect(shown).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^blob:"));
        await page.WaitForFunctionAsync("() => document.querySelector('cc-chat-widget').shadowRoot.querySelector(\".b.out img\").naturalWidth > 0");
        Assert.Equal(1, await fixture.CountAsync("messages where direction = 'inbound'"));
    }

    [Fact]
    public async Task A_pre_chat_form_with_required_fields_blocks_sending_until_it_is_filled()
    {
        var channel = await ChannelAsync(new JsonObject { ["preChat"] = WidgetFormsTests.PreChat("required", "off", "required") });
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        await using var context = await fixture.NewVisitorAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{fixture.SiteUrl}/?key={channel.Key}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Open chat" }).ClickAsync();
        await Expect(page.GetByText("Please introduce yourself before we start.")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Message")).ToBeHiddenAsync();
        Assert.Equal(0, await page.GetByLabel("Email").CountAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await Expect(page.GetByText("Please fill this in.")).ToHaveCountAsync(2);
        await page.GetByLabel("Name").FillAsync("Anna");
        await page.GetByLabel("Phone").FillAsync("12345");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await Expect(page.GetByText("Enter the number with the country code", new() { Exact = false })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Message")).ToBeHiddenAsync();
        Assert.Equal(0, await fixture.CountAsync("webchat_visitors"));

        await page.GetByLabel("Phone").FillAsync("+7 912 345-67-89");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await Expect(page.GetByLabel("Message")).ToBeVisibleAsync();
        await page.GetByLabel("Message").FillAsync("Is the sofa in stock?");
        await page.GetByLabel("Message").PressAsync("Enter");
        await Expect(page.Locator(".b.in:not(.pending)", new() { HasText = "Is the sofa in stock?" })).ToBeVisibleAsync();
        await using var db = fixture.Db();
        Assert.Equal(("Anna", "+79123456789"), await db.QuerySingleAsync<(string, string)>("select name, phone from contacts"));
    }

    [Fact]
    public async Task When_no_member_is_online_a_phone_sized_offline_form_lands_in_the_inbox()
    {
        var channel = await ChannelAsync(new JsonObject { ["offlineMessage"] = "We answer within two hours." });
        var manager = await fixture.CreateManagerAsync("mia", channel.Id); // a member, but not signed in to the inbox
        await using var context = await fixture.NewVisitorAsync(new ViewportSize { Width = 390, Height = 844 });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{fixture.SiteUrl}/?key={channel.Key}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Open chat" }).ClickAsync();
        await Expect(page.GetByText("We are offline right now.", new() { Exact = false })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Message", new() { Exact = true })).ToBeHiddenAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        Assert.True(await page.Locator(".m").EvaluateAsync<bool>("m => m.scrollWidth <= m.clientWidth"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "cc-widget-offline-phone.png") });

        await page.GetByLabel("Your message").FillAsync("Please call me about delivery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        await Expect(page.GetByText("Give an email or a phone so we can answer.")).ToBeVisibleAsync();
        Assert.Equal(0, await fixture.CountAsync("messages"));
        await page.GetByLabel("Email").FillAsync("ann@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();

        await Expect(page.GetByText("We answer within two hours.")).ToBeVisibleAsync();
        await Expect(page.Locator(".b.in", new() { HasText = "Please call me about delivery" })).ToBeVisibleAsync();
        using var http = fixture.App.Http(manager.Token);
        var inbox = (await http.GetFromJsonAsync<JsonObject>("/api/conversations"))!["items"]!.AsArray();
        Assert.Single(inbox);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
    }

    /// <summary>A real 1x1 PNG, so the browser can decode it.</summary>
    private static byte[] ValidPng() => Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
}
