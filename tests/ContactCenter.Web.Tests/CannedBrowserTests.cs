using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>Canned responses (issue #16): the composer's "/" popup driven by the keyboard alone, and the /canned page on a phone.</summary>
public sealed class CannedBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task A_canned_reply_with_a_variable_is_chosen_by_keyboard_sent_and_the_customer_gets_the_filled_text()
    {
        Callback.Given(Request.Create().WithPath("/cb").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var channel = await Fx.CreateApiChannelAsync(Callback.Url + "/cb", "Canned " + Suffix);
        var manager = await Fx.CreateUserAsync("olga" + Suffix, "manager", channel.Id);
        var conversationId = (await Fx.IngestAsync(channel, "c-" + Suffix, "cust-" + Suffix, "Hi, are you open today?", "Nina"))["conversationId"]!.ToString();
        await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/canned-responses", new { shortcut = "hi" + Suffix, text = "Hello!", shared = true });
        await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/canned-responses",
            new { shortcut = $"hi{Suffix}-long", title = "Long greeting", text = "Good afternoon, {{ contact.name }}! {{agent.name}} here, we are open until 18:00." });
        await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/canned-responses", new { shortcut = "price" + Suffix, text = "Our prices: see attached." });
        await Fx.OpenSignedInAsync(Page, manager.Email, path: $"/inbox/{conversationId}");
        await Expect(Page.Locator(".message.inbound")).ToContainTextAsync("are you open today?");
        var composer = Page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" });
        await composer.FocusAsync();

        // "/" opens the list; Esc closes it without touching the text.
        await Page.Keyboard.TypeAsync("/");
        var options = Page.GetByRole(AriaRole.Listbox, new() { Name = "Canned responses" }).GetByRole(AriaRole.Option);
        // The list is everything the manager sees (other tests of this class add shared ones too): our three are there.
        await Expect(options.Filter(new() { HasText = Suffix })).ToHaveCountAsync(3);
        await Page.Keyboard.PressAsync("Escape");
        await Expect(Page.GetByTestId("canned-picker")).ToHaveCountAsync(0);
        await Expect(composer).ToHaveValueAsync("/");
        await Page.Keyboard.PressAsync("Backspace");

        // Type, filter, arrow down to the second match, Enter: the server fills the variables.
        await Page.Keyboard.TypeAsync("/hi" + Suffix);
        await Expect(options).ToHaveCountAsync(2);
        await Expect(options.Nth(0)).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(options.Nth(0)).ToContainTextAsync("/hi" + Suffix);
        await Page.Keyboard.PressAsync("ArrowDown");
        await Expect(options.Nth(1)).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(options.Nth(1)).ToContainTextAsync($"/hi{Suffix}-long");
        await Page.Keyboard.PressAsync("Enter");
        var filled = $"Good afternoon, Nina! olga{Suffix} here, we are open until 18:00.";
        await Expect(composer).ToHaveValueAsync(filled);
        await Expect(Page.GetByTestId("canned-picker")).ToHaveCountAsync(0);

        await Page.Keyboard.PressAsync("Enter");
        var reply = Page.Locator(".message.outbound").Filter(new() { HasText = filled });
        await Expect(reply).ToHaveAttributeAsync("data-status", "sent");
        var delivered = JsonNode.Parse(Assert.Single(Callback.LogEntries).RequestMessage.Body!)!["message"]!;
        Assert.Equal(filled, delivered["text"]!.GetValue<string>());

        // Note mode: "/" after a space works too, Tab inserts.
        await Page.GetByLabel("Private note").CheckAsync();
        var note = Page.GetByRole(AriaRole.Textbox, new() { Name = "Private note" });
        await note.FocusAsync();
        await Page.Keyboard.TypeAsync("Customer asked: /price" + Suffix[..3]);
        await Expect(options).ToHaveCountAsync(1);
        await Page.Keyboard.PressAsync("Tab");
        await Expect(note).ToHaveValueAsync("Customer asked: Our prices: see attached.");
    }

    [Fact]
    public async Task On_a_phone_in_Russian_a_manager_adds_a_personal_response_and_sees_the_shared_one_read_only()
    {
        var manager = await Fx.CreateUserAsync("pavel" + Suffix, "manager");
        await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/canned-responses",
            new { shortcut = "hours" + Suffix, title = "Часы работы", text = "Мы работаем с 9:00 до 18:00 без выходных и праздников, пишите в любое время.", shared = true });
        await Fx.OpenSignedInAsync(Page, manager.Email, path: "/canned");
        await Page.GetByRole(AriaRole.Combobox, new() { Name = "Language" }).SelectOptionAsync("ru");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "ru");
        await Page.SetViewportSizeAsync(390, 844);

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Шаблоны ответов" })).ToBeVisibleAsync();
        var shared = Page.GetByTestId("canned-item").Filter(new() { HasText = "/hours" + Suffix });
        await Expect(shared).ToContainTextAsync("общий");
        await Expect(shared).ToContainTextAsync("Общие шаблоны меняют только администраторы и супервизоры.");
        await Expect(shared.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        await Page.GetByRole(AriaRole.Button, new() { Name = "Новый шаблон" }).ClickAsync();
        await Page.GetByLabel("Сокращение").FillAsync("two words");
        await Page.GetByLabel("Текст", new() { Exact = true }).FillAsync("Спасибо, {{contact.name}}!");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Создать" }).ClickAsync();
        await Expect(Page.Locator(".canned-form [role=alert]")).ToBeVisibleAsync();
        await Page.GetByLabel("Сокращение").FillAsync("spasibo");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Создать" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Изменить /spasibo" })).ToBeVisibleAsync();
        var mine = Page.GetByTestId("canned-item").Filter(new() { HasText = "/spasibo" });
        await Expect(mine).ToContainTextAsync("личный");
        await Expect(mine.GetByRole(AriaRole.Button, new() { Name = "Изменить" })).ToBeVisibleAsync();

        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 390 px");
        await Screenshot("canned-page-390-ru");
        var stored = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, "/api/canned-responses?q=spasibo"))!.AsArray();
        Assert.Equal("Спасибо, {{contact.name}}!", Assert.Single(stored)!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_canned_reply_with_a_file_puts_the_file_in_the_composer_and_the_customer_gets_text_and_file()
    {
        Callback.Given(Request.Create().WithPath("/cb").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var channel = await Fx.CreateApiChannelAsync(Callback.Url + "/cb", "Canned files " + Suffix);
        var manager = await Fx.CreateUserAsync("fila" + Suffix, "manager", channel.Id);
        var conversationId = (await Fx.IngestAsync(channel, "cf-" + Suffix, "custf-" + Suffix, "Send me the price list", "Pavel"))["conversationId"]!.ToString();
        var canned = await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/canned-responses",
            new { shortcut = "prices" + Suffix, text = "Here is our price list, {{contact.name}}." });
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4 canned price list " + Suffix);
        using (var http = Fx.App.Http(manager.Token))
        using (var form = new MultipartFormDataContent())
        {
            var part = new ByteArrayContent(pdf);
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
            form.Add(part, "file", "prices.pdf");
            (await http.PostAsync($"/api/canned-responses/{canned!["id"]}/attachments", form)).EnsureSuccessStatusCode();
        }
        await Fx.OpenSignedInAsync(Page, manager.Email, path: $"/inbox/{conversationId}");
        await Expect(Page.Locator(".message.inbound")).ToContainTextAsync("Send me the price list");
        var composer = Page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" });
        await composer.FocusAsync();

        await Page.Keyboard.TypeAsync("/prices" + Suffix);
        var options = Page.GetByRole(AriaRole.Listbox, new() { Name = "Canned responses" }).GetByRole(AriaRole.Option);
        await Expect(options).ToHaveCountAsync(1);
        await Page.Keyboard.PressAsync("Enter");

        await Expect(composer).ToHaveValueAsync("Here is our price list, Pavel.");
        var pending = Page.GetByRole(AriaRole.List, new() { Name = "Files to send" }).Locator("li");
        await Expect(pending).ToHaveCountAsync(1);
        await Expect(pending.Filter(new() { HasText = "prices.pdf" })).ToHaveAttributeAsync("data-status", "ready");
        await Page.Keyboard.PressAsync("Enter");

        var reply = Page.Locator(".message.outbound").Filter(new() { HasText = "Here is our price list, Pavel." });
        await Expect(reply).ToHaveAttributeAsync("data-status", "sent");
        await Expect(reply.Locator(".attachment")).ToContainTextAsync("prices.pdf");
        await Expect(pending).ToHaveCountAsync(0);
        var delivered = JsonNode.Parse(Assert.Single(Callback.LogEntries).RequestMessage.Body!)!["message"]!;
        Assert.Equal("Here is our price list, Pavel.", delivered["text"]!.GetValue<string>());
        var file = Assert.Single(delivered["attachments"]!.AsArray())!;
        Assert.Equal("prices.pdf", file["fileName"]!.GetValue<string>());
        Assert.Equal(pdf, Convert.FromBase64String(file["contentBase64"]!.GetValue<string>()));
    }
}
