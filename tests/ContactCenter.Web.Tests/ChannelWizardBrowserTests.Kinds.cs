using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>The first kinds through the wizard: API, Telegram, SMS, email, web chat and web form.</summary>
public sealed partial class ChannelWizardBrowserTests
{
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
}
