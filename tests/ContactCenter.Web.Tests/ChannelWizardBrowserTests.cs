using System.Net.Sockets;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>
/// The channel wizard in Chromium against the real server: each existing kind is created through it (in English or
/// Russian), the URLs shown are the server's `public` values (its public address, not the browser's), copy buttons
/// fill the clipboard, a failing credential check reads as one, and a manager picked in the members step sees the
/// channel's first conversation live.
/// </summary>
public sealed class ChannelWizardBrowserTests(ChannelWizardFixture fx) : IClassFixture<ChannelWizardFixture>, IAsyncLifetime
{
    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];
    private IBrowserContext context = null!;
    private IPage page = null!;
    private WireMockServer? provider;

    public async Task InitializeAsync()
    {
        context = await fx.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 }, Locale = "en-GB",
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.SetDefaultTimeout(15_000);
        page = await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await context.CloseAsync();
        provider?.Stop();
    }

    [Fact]
    public async Task Api_channel_in_English_shows_the_servers_public_inbound_URL_copies_it_and_a_manager_picked_in_the_members_step_sees_its_first_conversation_live()
    {
        var manager = await fx.CreateUserAsync("mila" + suffix, "manager");
        await fx.CreateUserAsync("other" + suffix, "manager");
        var secret = "wizard-secret-" + suffix;
        await OpenWizardAsync();
        await ChooseKindAsync("API integration");
        await page.GetByLabel("Channel name").FillAsync("Shop API " + suffix);
        await page.GetByLabel("Signing secret").FillAsync(secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and check" }).ClickAsync();

        await Expect(page.Locator(".check-ok")).ToContainTextAsync("no credentials to check");
        var channel = await ChannelNamedAsync("Shop API " + suffix);
        var id = channel["id"]!.GetValue<long>();
        await Next();
        var inboundUrl = channel["public"]!["inboundUrl"]!.GetValue<string>();
        Assert.Equal($"{ChannelWizardFixture.PublicBaseUrl}/api/inbound/{id}", inboundUrl);
        var shown = page.Locator("[data-public-key='inboundUrl'] input");
        await Expect(shown).ToHaveValueAsync(inboundUrl);
        Assert.DoesNotContain(fx.BaseUrl, await shown.InputValueAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy: Inbound URL" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy: Inbound URL" })).ToHaveTextAsync("Copied");
        Assert.Equal(inboundUrl, await ClipboardAsync());
        await Next();

        await page.GetByLabel("Search managers").FillAsync("mila" + suffix);
        await Expect(page.Locator(".member-list li")).ToHaveCountAsync(1);
        await page.GetByLabel($"mila{suffix} is a member").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Finish", Exact = true }).ClickAsync();
        await Expect(page.Locator(".channel-wizard")).ToHaveCountAsync(0);
        await Expect(page.Locator($".channel-list li[data-channel-id='{id}']")).ToContainTextAsync("Shop API " + suffix);
        Assert.Equal([manager.Id], (await ChannelAsync(id))["memberIds"]!.AsArray().Select(m => m!.GetValue<long>()));

        // The manager, signed in elsewhere, sees the channel's first conversation arrive.
        var managerPage = await fx.NewPageAsync();
        try
        {
            await fx.OpenSignedInAsync(managerPage, manager.Email);
            var ingested = await fx.IngestAsync(new AppFixture.ApiChannel(id, secret), "first-" + suffix, "cust-" + suffix, "Hello from the new channel", "Nora Buyer");
            var row = managerPage.Locator($"[data-conversation-id='{ingested["conversationId"]}']");
            await Expect(row).ToContainTextAsync("Nora Buyer");
            await Expect(row).ToContainTextAsync("Hello from the new channel");
        }
        finally
        {
            await managerPage.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Telegram_in_Russian_a_rejected_token_reads_as_a_failed_check_and_a_replaced_token_passes_then_all_managers_are_added()
    {
        const string bad = "123456:BADBADBADBADBADBADBADBADBAD";
        const string good = "123456:GOODGOODGOODGOODGOODGOOD";
        provider = WireMockServer.Start();
        provider.Given(Request.Create().WithPath($"/bot{bad}/getMe"))
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
                .WithBody("""{"ok":false,"error_code":401,"description":"Unauthorized"}"""));
        provider.Given(Request.Create().WithPath($"/bot{good}/getMe"))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
                .WithBody("""{"ok":true,"result":{"id":123456,"is_bot":true,"first_name":"Shop","username":"shop_bot"}}"""));
        provider.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/bot*/deleteWebhook")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""{"ok":true,"result":true}"""));
        // The poller reads the bot between the saves: its reads succeed, so only the set-up check speaks about the token.
        provider.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/bot*/getUpdates")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""{"ok":true,"result":[]}""").WithDelay(500));
        await fx.CreateUserAsync("tg-a" + suffix, "manager");
        await fx.CreateUserAsync("tg-b" + suffix, "manager");

        await OpenWizardAsync();
        await ToRussianAsync();
        await ChooseKindAsync("Бот Telegram", next: "Далее");
        await page.GetByLabel("Название канала").FillAsync("Бот " + suffix);
        await page.GetByLabel("Токен бота").FillAsync(bad);
        await page.Locator("[data-field='webhookSecret']").GetByRole(AriaRole.Button, new() { Name = "Сгенерировать" }).ClickAsync();
        await OpenAdvancedAsync();
        await page.GetByLabel("Адрес Bot API").FillAsync(provider.Url!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Сохранить и проверить" }).ClickAsync();

        var failed = page.Locator(".check-failed");
        await Expect(failed).ToContainTextAsync("Проверка не прошла");
        var channel = await ChannelNamedAsync("Бот " + suffix);
        var id = channel["id"]!.GetValue<long>();
        var statusError = channel["statusError"]!.GetValue<string>();
        Assert.Contains("rejected the bot token", statusError, StringComparison.Ordinal);
        await Expect(failed.Locator(".status-error")).ToHaveTextAsync(statusError);
        await Screenshot("wizard-telegram-failed-ru");

        // Back to the settings: the token is set (never shown) and is replaced write-only.
        await page.GetByRole(AriaRole.Button, new() { Name = "Изменить настройки" }).ClickAsync();
        var token = page.Locator("[data-field='botToken']");
        await Expect(token.Locator(".secret-state")).ToHaveTextAsync("Токен бота: задан");
        await token.GetByRole(AriaRole.Button, new() { Name = "Заменить" }).ClickAsync();
        await page.GetByLabel("Токен бота").FillAsync(good);
        await page.GetByRole(AriaRole.Button, new() { Name = "Сохранить и проверить" }).ClickAsync();
        await Expect(page.Locator(".check-ok")).ToContainTextAsync("Подключено");
        Assert.Null((await ChannelAsync(id))["statusError"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Продолжить" }).ClickAsync();

        var webhookUrl = (await ChannelAsync(id))["public"]!["webhookUrl"]!.GetValue<string>();
        Assert.StartsWith(ChannelWizardFixture.PublicBaseUrl, webhookUrl, StringComparison.Ordinal);
        await Expect(page.Locator("[data-public-key='webhookUrl'] input")).ToHaveValueAsync(webhookUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Продолжить" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Добавить всех менеджеров" }).ClickAsync();
        var managers = (await fx.ApiAsync(fx.AdminToken, HttpMethod.Get, "/api/users"))!.AsArray()
            .Where(u => u!["role"]!.GetValue<string>() == "manager" && u["isActive"]!.GetValue<bool>()).Select(u => u!["id"]!.GetValue<long>()).ToHashSet();
        await Expect(page.Locator(".member-list input:checked")).ToHaveCountAsync(managers.Count);
        await page.GetByRole(AriaRole.Button, new() { Name = "Готово", Exact = true }).ClickAsync();
        await Expect(page.Locator(".channel-wizard")).ToHaveCountAsync(0);
        Assert.Subset((await ChannelAsync(id))["memberIds"]!.AsArray().Select(m => m!.GetValue<long>()).ToHashSet(), managers);
        await fx.ApiAsync(fx.AdminToken, HttpMethod.Patch, $"/api/channels/{id}", new { enabled = false });
    }

    [Fact]
    public async Task Sms_in_English_shows_the_servers_field_errors_next_to_the_fields_then_the_messages_URL_built_on_the_public_address()
    {
        const string sid = "AC0123456789abcdef0123456789abcdef";
        provider = WireMockServer.Start();
        provider.Given(Request.Create().WithPath($"/2010-04-01/Accounts/{sid}.json").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody($$"""{"sid":"{{sid}}","friendly_name":"Shop","status":"active"}"""));
        await OpenWizardAsync();
        await ChooseKindAsync("SMS (Twilio)");
        await page.GetByLabel("Channel name").FillAsync("Texts " + suffix);
        await page.GetByLabel("Account SID").FillAsync("XX-not-a-sid");
        await page.GetByLabel("Auth token").FillAsync("twilio-token-" + suffix);
        await page.GetByLabel("Twilio phone number").FillAsync("not a number");
        await page.GetByLabel("This server’s public address").FillAsync(ChannelWizardFixture.PublicBaseUrl);
        await OpenAdvancedAsync();
        await page.GetByLabel("Twilio API address").FillAsync(provider.Url!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and check" }).ClickAsync();

        await Expect(page.Locator("[data-field='accountSid'] .field-error")).ToContainTextAsync("AC followed by 32 hex digits");
        await Expect(page.Locator("[data-field='fromNumber'] .field-error")).ToContainTextAsync("international form");
        await Expect(page.Locator("[data-field='authToken'] .field-error")).ToHaveCountAsync(0);
        Assert.DoesNotContain((await fx.ApiAsync(fx.AdminToken, HttpMethod.Get, "/api/channels"))!.AsArray(), c => c!["name"]!.GetValue<string>() == "Texts " + suffix);

        await page.GetByLabel("Account SID").FillAsync(sid);
        await page.GetByLabel("Twilio phone number").FillAsync("+14155550100");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and check" }).ClickAsync();
        await Expect(page.Locator(".check-ok")).ToContainTextAsync("Connected");
        await Next();

        var channel = await ChannelNamedAsync("Texts " + suffix);
        var messagesUrl = channel["public"]!["messagesUrl"]!.GetValue<string>();
        Assert.Equal($"{ChannelWizardFixture.PublicBaseUrl}/webhooks/twilio/{channel["id"]}", messagesUrl);
        await Expect(page.Locator("[data-public-key='messagesUrl'] input")).ToHaveValueAsync(messagesUrl);
        await Expect(page.Locator("[data-public-key='statusCallbackUrl'] input")).ToHaveValueAsync(channel["public"]!["statusCallbackUrl"]!.GetValue<string>());
        await Expect(page.Locator(".public-info")).ToContainTextAsync("A message comes in");
    }

    [Fact]
    public async Task Email_in_Russian_a_preset_fills_the_servers_and_a_mailbox_that_cannot_be_reached_reads_as_a_failed_check()
    {
        await OpenWizardAsync();
        await ToRussianAsync();
        await ChooseKindAsync("Почтовый ящик", next: "Далее");
        await page.GetByLabel("Название канала").FillAsync("Почта " + suffix);
        await page.GetByLabel("Почтовый сервис").SelectOptionAsync(new SelectOptionValue { Label = "Яндекс Почта" });
        await Expect(page.GetByLabel("Сервер IMAP")).ToHaveValueAsync("imap.yandex.ru");
        await Expect(page.GetByLabel("Порт IMAP")).ToHaveValueAsync("993");
        await Expect(page.GetByLabel("Шифрование IMAP")).ToHaveValueAsync("ssl");
        await Expect(page.GetByLabel("Сервер SMTP")).ToHaveValueAsync("smtp.yandex.ru");
        await Expect(page.GetByLabel("Порт SMTP")).ToHaveValueAsync("465");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Как получить пароль приложения" })).ToHaveAttributeAsync("href", "https://id.yandex.ru/security/app-passwords");

        // The servers of this test are a loopback port nothing listens on: the check must fail, in words.
        var closed = ClosedPort();
        await page.GetByLabel("Адрес почты").FillAsync($"sales{suffix}@test.local");
        await Expect(page.Locator(".settings-fields").GetByLabel("Логин")).ToHaveValueAsync($"sales{suffix}@test.local");
        await page.Locator("[data-field='password'] input").FillAsync("mail-password");
        await page.GetByLabel("Сервер IMAP").FillAsync("127.0.0.1");
        await page.GetByLabel("Порт IMAP").FillAsync(closed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Шифрование IMAP").SelectOptionAsync("none");
        await page.GetByLabel("Сервер SMTP").FillAsync("127.0.0.1");
        await page.GetByLabel("Порт SMTP").FillAsync(closed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Шифрование SMTP").SelectOptionAsync("none");
        await page.GetByRole(AriaRole.Button, new() { Name = "Сохранить и проверить" }).ClickAsync();

        await Expect(page.Locator(".check-failed")).ToContainTextAsync("Проверка не прошла");
        await Expect(page.Locator(".check-failed .status-error")).ToContainTextAsync("IMAP: cannot connect to 127.0.0.1");
        var channel = await ChannelNamedAsync("Почта " + suffix);
        Assert.Equal(channel["statusError"]!.GetValue<string>(), await page.Locator(".check-failed .status-error").TextContentAsync());
        Assert.Equal("127.0.0.1", channel["settings"]!["imapHost"]!.GetValue<string>());
        Assert.Null(channel["settings"]!["password"]);
        await fx.ApiAsync(fx.AdminToken, HttpMethod.Patch, $"/api/channels/{channel["id"]}", new { enabled = false });
    }

    [Fact]
    public async Task Web_chat_in_Russian_and_web_form_in_English_show_the_servers_snippets_and_copy_puts_the_whole_form_HTML_on_the_clipboard()
    {
        await OpenWizardAsync();
        await ToRussianAsync();
        await ChooseKindAsync("Чат на сайте", next: "Далее");
        await page.GetByLabel("Название канала").FillAsync("Чат " + suffix);
        await page.GetByLabel("Заголовок чата").FillAsync("Магазин");
        await page.GetByRole(AriaRole.Button, new() { Name = "Сохранить и проверить" }).ClickAsync();
        await Expect(page.Locator(".check-ok")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Продолжить" }).ClickAsync();
        var chat = await ChannelNamedAsync("Чат " + suffix);
        var widget = chat["public"]!["embedHtml"]!.GetValue<string>();
        Assert.Contains($"{ChannelWizardFixture.PublicBaseUrl}/widget.js", widget, StringComparison.Ordinal);
        await Expect(page.Locator("[data-public-key='embedHtml'] :is(input, textarea)")).ToHaveValueAsync(widget);
        await page.GetByRole(AriaRole.Button, new() { Name = "Копировать: Код для вставки на сайт" }).ClickAsync();
        Assert.Equal(widget, await ClipboardAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Продолжить" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Готово, без менеджеров" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Закрыть" }).ClickAsync();

        await page.GetByRole(AriaRole.Combobox, new() { Name = "Язык" }).SelectOptionAsync("en");
        await OpenWizardAsync();
        await ChooseKindAsync("Web form");
        await page.GetByLabel("Channel name").FillAsync("Form " + suffix);
        await Expect(page.GetByLabel("Form fields")).ToHaveValueAsync("name, email, phone, message");
        await page.GetByLabel("Thank-you page").FillAsync("https://shop.example/thanks");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and check" }).ClickAsync();
        await Next();
        var form = await ChannelNamedAsync("Form " + suffix);
        var html = form["public"]!["embedHtml"]!.GetValue<string>();
        Assert.Contains($"action=\"{ChannelWizardFixture.PublicBaseUrl}/api/forms/{form["public"]!["formKey"]}\"", html, StringComparison.Ordinal);
        await Expect(page.Locator("[data-public-key='embedHtml'] textarea")).ToHaveValueAsync(html);
        await Expect(page.Locator("[data-public-key='submitUrl'] input")).ToHaveValueAsync(form["public"]!["submitUrl"]!.GetValue<string>());
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy: Code to paste into the site" }).ClickAsync();
        Assert.Equal(html, await ClipboardAsync());
    }

    [Fact]
    public async Task Editing_replaces_a_secret_write_only_and_sets_SLA_and_business_hours_and_a_channel_with_conversations_is_archived_not_deleted()
    {
        var channel = await fx.CreateApiChannelAsync(null, "Edit me " + suffix);
        var empty = await fx.CreateApiChannelAsync(null, "Empty " + suffix);
        await fx.IngestAsync(channel, "e-1-" + suffix, "cust-" + suffix, "hi");
        await fx.OpenSignedInAsync(page, "admin@test.local", "admin-password-1", "/admin");
        var item = page.Locator($".channel-list li[data-channel-id='{channel.Id}']");
        await item.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        var editor = page.Locator(".channel-editor");
        await Expect(editor.Locator("[data-field='secret'] .secret-state")).ToHaveTextAsync("Signing secret: set");
        await editor.GetByLabel("First response within (seconds)").FillAsync("120");
        await editor.GetByLabel("Measure response times within business hours").CheckAsync();
        await editor.GetByLabel("Time zone").FillAsync("Europe/Moscow");
        await editor.GetByLabel("Saturday: working day").UncheckAsync();
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(editor.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved." })).ToBeVisibleAsync();
        var stored = await ChannelAsync(channel.Id);
        Assert.Equal(120, stored["settings"]!["sla"]!["firstResponseSeconds"]!.GetValue<int>());
        Assert.Equal("Europe/Moscow", stored["settings"]!["businessHours"]!["timeZone"]!.GetValue<string>());
        Assert.Null(stored["settings"]!["businessHours"]!["week"]!["sat"]);
        Assert.Equal("09:00", stored["settings"]!["businessHours"]!["week"]!["mon"]![0]![0]!.GetValue<string>());
        // The secret was not sent: the integration's old one still signs.
        await fx.IngestAsync(channel, "e-2-" + suffix, "cust-" + suffix, "still signed with the old secret");

        var newSecret = "replaced-secret-" + suffix;
        await editor.Locator("[data-field='secret']").GetByRole(AriaRole.Button, new() { Name = "Replace" }).ClickAsync();
        await editor.GetByLabel("Signing secret").FillAsync(newSecret);
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(editor.Locator("[data-field='secret'] .secret-state")).ToHaveTextAsync("Signing secret: set");
        var old = await fx.PostInboundAsync(channel, AppFixture.InboundBody("e-3-" + suffix, "cust-" + suffix, "old"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, old.StatusCode);
        await fx.IngestAsync(new AppFixture.ApiChannel(channel.Id, newSecret), "e-4-" + suffix, "cust-" + suffix, "new secret");
        await Expect(page.Locator("body")).Not.ToContainTextAsync(newSecret);

        // Delete: refused for a channel with conversations, which is archived instead.
        await item.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("has conversations, so it cannot be deleted");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Archive instead" }).ClickAsync();
        await Expect(item).ToHaveCountAsync(0);
        Assert.NotNull((await ChannelAsync(channel.Id))["archivedAt"]);
        await page.GetByLabel("Show archived channels").CheckAsync();
        await Expect(item).ToContainTextAsync("archived");
        await page.GetByLabel("Show archived channels").UncheckAsync();

        var emptyItem = page.Locator($".channel-list li[data-channel-id='{empty.Id}']");
        await emptyItem.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(emptyItem).ToHaveCountAsync(0);
        using var http = fx.App.Http(fx.AdminToken);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"/api/channels/{empty.Id}")).StatusCode);
    }

    [Fact]
    public async Task The_new_kinds_whatsapp_vk_and_voice_show_their_fields_in_English_and_Russian()
    {
        var english = new Dictionary<string, string[]>
        {
            ["WhatsApp Business"] = ["Phone number ID", "Access token", "App secret", "Verify token", "WhatsApp Business Account ID", "Graph API address"],
            ["VK community"] = ["Community ID", "Community access token", "Secret key", "Confirmation code", "VK API address"],
            ["Phone calls (Twilio Voice)"] = ["Account SID", "Auth token", "Twilio phone number", "This server’s public address", "Record calls", "How to ring managers", "Twilio API address"],
        };
        var russian = new Dictionary<string, string[]>
        {
            ["WhatsApp Business"] = ["ID номера телефона", "Токен доступа", "Секрет приложения", "Токен подтверждения", "ID аккаунта WhatsApp Business", "Адрес Graph API"],
            ["Сообщество ВКонтакте"] = ["ID сообщества", "Ключ доступа сообщества", "Секретный ключ", "Код подтверждения", "Адрес API ВКонтакте"],
            ["Телефония (Twilio Voice)"] = ["Account SID", "Auth token", "Номер Twilio", "Публичный адрес этого сервера", "Записывать звонки", "Как звонить менеджерам", "Адрес API Twilio"],
        };
        await OpenWizardAsync();
        await AssertKindFieldsAsync(english, "Next", "Back", "Advanced");
        await ToRussianAsync();
        await AssertKindFieldsAsync(russian, "Далее", "Назад", "Дополнительно");
    }

    [Fact]
    public async Task WhatsApp_in_English_VK_in_Russian_and_voice_are_created_through_the_wizard_with_their_checks_passing_and_the_servers_URLs()
    {
        provider = WireMockServer.Start();
        provider.Given(Request.Create().WithPath("/v21.0/106540352242922").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
                .WithBody("""{"display_phone_number":"15550783881","verified_name":"Shop","id":"106540352242922"}"""));
        provider.Given(Request.Create().WithPath("/method/groups.getById"))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
                .WithBody("""{"response":{"groups":[{"id":218375120,"name":"Shop","screen_name":"shop"}]}}"""));
        provider.Given(Request.Create().WithPath("/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/IncomingPhoneNumbers.json").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
                .WithBody("""{"incoming_phone_numbers":[{"sid":"PN1","phone_number":"+14155550100"}]}"""));

        await OpenWizardAsync();
        await ChooseKindAsync("WhatsApp Business");
        await page.GetByLabel("Channel name").FillAsync("WhatsApp " + suffix);
        await FillAsync(new()
        {
            ["Phone number ID"] = "106540352242922", ["Access token"] = "EAAGwizardtoken", ["App secret"] = "wizard-app-secret-0123456789",
            ["Verify token"] = "wizard-verify-token", ["Graph API address"] = provider.Url + "/v21.0",
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and check" }).ClickAsync();
        await ExpectCreatedAsync("WhatsApp " + suffix, "webhookUrl", ChannelWizardFixture.PublicBaseUrl, "Continue");

        await OpenWizardAsync();
        await ToRussianAsync();
        await ChooseKindAsync("Сообщество ВКонтакте", next: "Далее");
        await page.GetByLabel("Название канала").FillAsync("ВК " + suffix);
        await FillAsync(new()
        {
            ["ID сообщества"] = "218375120", ["Ключ доступа сообщества"] = "vk1.a.wizardtokenwizardtokenwizardtoken", ["Секретный ключ"] = "wizardVkSecret",
            ["Код подтверждения"] = "a1b2c3d4", ["Адрес API ВКонтакте"] = provider.Url + "/method",
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Сохранить и проверить" }).ClickAsync();
        await ExpectCreatedAsync("ВК " + suffix, "callbackUrl", ChannelWizardFixture.PublicBaseUrl, "Продолжить");

        await page.GetByRole(AriaRole.Combobox, new() { Name = "Язык" }).SelectOptionAsync("en");
        await OpenWizardAsync();
        await ChooseKindAsync("Phone calls (Twilio Voice)");
        await page.GetByLabel("Channel name").FillAsync("Calls " + suffix);
        await FillAsync(new()
        {
            ["Account SID"] = "AC0123456789abcdef0123456789abcdef", ["Auth token"] = "wizard-auth-token", ["Twilio phone number"] = "+14155550100",
            ["This server’s public address"] = "https://calls.example.test", ["Twilio API address"] = provider.Url!,
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and check" }).ClickAsync();
        await ExpectCreatedAsync("Calls " + suffix, "voiceUrl", "https://calls.example.test", "Continue");
    }

    [Fact]
    public async Task Business_hours_out_of_hours_reply_acknowledgement_and_CSAT_are_set_while_creating_the_channel()
    {
        await OpenWizardAsync();
        await ChooseKindAsync("API integration");
        await page.GetByLabel("Channel name").FillAsync("Auto " + suffix);
        await page.GetByLabel("Signing secret").FillAsync("wizard-secret-auto-" + suffix);
        // An out-of-hours reply needs business hours: set in the same step.
        await page.Locator(".channel-wizard .rules-fields").GetByLabel("Measure response times within business hours").CheckAsync();
        var auto = page.Locator(".channel-wizard [data-testid='auto-messages']");
        await auto.Locator("input[name='outOfHoursReply']").CheckAsync();
        await auto.Locator("textarea[name='outOfHoursText']").FillAsync("We are closed; back at 9.");
        await auto.Locator("input[name='acknowledgement']").CheckAsync();
        await auto.Locator("textarea[name='acknowledgementText']").FillAsync("Got it, thanks!");
        await auto.Locator("input[name='csat']").CheckAsync();
        await auto.Locator("input[name='csatQuestion']").FillAsync("How did we do today?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and check" }).ClickAsync();

        await Expect(page.Locator(".check-ok")).ToContainTextAsync("no credentials to check");
        var settings = (await ChannelNamedAsync("Auto " + suffix))["settings"]!;
        Assert.NotNull(settings["businessHours"]?["week"]);
        Assert.True(settings["outOfHoursReply"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("We are closed; back at 9.", settings["outOfHoursReply"]!["text"]!.GetValue<string>());
        Assert.True(settings["acknowledgement"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("Got it, thanks!", settings["acknowledgement"]!["text"]!.GetValue<string>());
        Assert.True(settings["csat"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("How did we do today?", settings["csat"]!["question"]!.GetValue<string>());
    }

    private async Task FillAsync(Dictionary<string, string> fields)
    {
        await OpenAdvancedAsync();
        foreach (var (label, value) in fields)
        {
            await page.Locator(".settings-fields").GetByLabel(label, new() { Exact = false }).First.FillAsync(value);
        }
    }

    /// <summary>The check passed (server and screen agree), and the paste step shows the server's URL on the given address.</summary>
    private async Task ExpectCreatedAsync(string name, string publicKey, string baseUrl, string next)
    {
        await Expect(page.Locator(".check-ok")).ToBeVisibleAsync();
        var channel = await ChannelNamedAsync(name);
        Assert.Null(channel["statusError"]);
        Assert.Null(channel["settings"]?["accessToken"] ?? channel["settings"]?["authToken"] ?? channel["settings"]?["appSecret"]);
        await page.GetByRole(AriaRole.Button, new() { Name = next, Exact = true }).ClickAsync();
        var url = (await ChannelAsync(channel["id"]!.GetValue<long>()))["public"]![publicKey]!.GetValue<string>();
        Assert.StartsWith(baseUrl, url, StringComparison.Ordinal);
        await Expect(page.Locator($"[data-public-key='{publicKey}'] input")).ToHaveValueAsync(url);
        await fx.ApiAsync(fx.AdminToken, HttpMethod.Patch, $"/api/channels/{channel["id"]}", new { enabled = false });
        await page.GotoAsync(page.Url);
    }

    [Fact]
    public async Task On_a_390_px_phone_every_step_of_the_wizard_fits_without_sideways_scrolling()
    {
        await page.SetViewportSizeAsync(390, 844);
        await OpenWizardAsync();
        await AssertFitsAsync();
        await ChooseKindAsync("Web form");
        await AssertFitsAsync();
        await page.GetByLabel("Channel name").FillAsync("Phone form " + suffix + " with a rather long name that must wrap on a small screen");
        await page.GetByLabel("Sites allowed to post it").FillAsync("https://a-very-long-shop-domain-name.example, https://another-long-domain.example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and check" }).ClickAsync();
        await Expect(page.Locator(".check-ok")).ToBeVisibleAsync();
        await AssertFitsAsync();
        await Next();
        await Expect(page.Locator("[data-public-key='embedHtml'] textarea")).ToBeVisibleAsync();
        await AssertFitsAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.ArtifactsDir, "wizard-paste-390.png"), FullPage = true });
        await Next();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add all managers" })).ToBeVisibleAsync();
        await AssertFitsAsync();
    }

    private async Task AssertKindFieldsAsync(Dictionary<string, string[]> kinds, string next, string back, string advanced)
    {
        foreach (var (kind, labels) in kinds)
        {
            await ChooseKindAsync(kind, next);
            await Expect(page.Locator("details.advanced summary")).ToHaveTextAsync(advanced);
            await OpenAdvancedAsync();
            foreach (var label in labels)
            {
                await Expect(page.Locator(".settings-fields").GetByLabel(label, new() { Exact = false }).First).ToBeVisibleAsync();
            }
            await Expect(page.Locator(".settings-fields .help").First).Not.ToBeEmptyAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = back, Exact = true }).ClickAsync();
        }
    }

    private async Task OpenWizardAsync()
    {
        if (!page.Url.Contains("/admin", StringComparison.Ordinal))
        {
            await fx.OpenSignedInAsync(page, "admin@test.local", "admin-password-1", "/admin");
        }
        var open = page.Locator(".channels-tab > .row button.primary");
        await open.ClickAsync();
        await Expect(page.Locator(".channel-wizard")).ToBeVisibleAsync();
    }

    private async Task ChooseKindAsync(string kind, string next = "Next")
    {
        await page.GetByRole(AriaRole.Radio, new() { Name = kind }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = next, Exact = true }).ClickAsync();
        await Expect(page.Locator(".settings-fields")).ToBeVisibleAsync();
    }

    private Task OpenAdvancedAsync() => page.Locator("details.advanced").EvaluateAsync("d => { d.open = true; }");

    private Task Next() => page.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true }).ClickAsync();

    private async Task ToRussianAsync()
    {
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Language" }).SelectOptionAsync("ru");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ru");
    }

    private async Task<string> ClipboardAsync() => await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");

    private async Task<JsonNode> ChannelNamedAsync(string name) =>
        (await fx.ApiAsync(fx.AdminToken, HttpMethod.Get, "/api/channels"))!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;

    private async Task<JsonNode> ChannelAsync(long id) => (await fx.ApiAsync(fx.AdminToken, HttpMethod.Get, $"/api/channels/{id}"))!;

    private async Task AssertFitsAsync()
    {
        var widths = await page.EvaluateAsync<int[]>(
            "() => { const m = document.querySelector('main.content'); return [document.documentElement.scrollWidth, window.innerWidth, m.scrollWidth, m.clientWidth]; }");
        Assert.True(widths[0] <= widths[1] && widths[2] <= widths[3], $"wider than the screen: document {widths[0]}/{widths[1]}, main {widths[2]}/{widths[3]}");
    }

    private Task Screenshot(string name) => page.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.ArtifactsDir, $"{name}.png") });

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
