using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactCenter.Web.Tests;

/// <summary>WhatsApp, VK and voice: their fields, and each created through the wizard.</summary>
public sealed partial class ChannelWizardBrowserTests
{
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
}
