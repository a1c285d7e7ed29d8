using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>The composer sends files and answers one message; a channel that cannot send files says so and nothing is lost.</summary>
public sealed class AttachmentsBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    private const string SiteOrigin = "https://shop.example";
    [Fact]
    public async Task A_reply_to_one_message_carries_the_picked_file_to_the_api_channel_and_shows_the_quote()
    {
        Callback.Given(Request.Create().WithPath("/cb").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var channel = await Fx.CreateApiChannelAsync(Callback.Url + "/cb", "Files " + Suffix);
        var manager = await Fx.CreateUserAsync("files" + Suffix, "manager", channel.Id);
        await Fx.IngestAsync(channel, "ext-1-" + Suffix, "cust-" + Suffix, "Can you send the price list?", "Nina");
        var ingested = await Fx.IngestAsync(channel, "ext-2-" + Suffix, "cust-" + Suffix, "And the opening hours.", "Nina");
        var conversationId = ingested["conversationId"]!.ToString();
        await Fx.OpenSignedInAsync(Page, manager.Email, path: $"/inbox/{conversationId}");

        var asked = Page.Locator(".message.inbound").Filter(new() { HasText = "Can you send the price list?" });
        await asked.GetByRole(AriaRole.Button, new() { Name = "Reply to Nina" }).ClickAsync();
        await Expect(Page.GetByTestId("replying-to")).ToContainTextAsync("Replying to Nina: Can you send the price list?");
        var composer = Page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" });
        await Expect(composer).ToBeFocusedAsync();

        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4 price list " + Suffix);
        await PickAsync(new FilePayload { Name = "price-list.pdf", MimeType = "application/pdf", Buffer = pdf },
            new FilePayload { Name = "wrong.txt", MimeType = "text/plain", Buffer = "oops"u8.ToArray() });
        var pending = Page.GetByRole(AriaRole.List, new() { Name = "Files to send" }).Locator("li");
        await Expect(pending).ToHaveCountAsync(2);
        await Expect(pending.Filter(new() { HasText = "price-list.pdf" })).ToHaveAttributeAsync("data-status", "ready");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Remove wrong.txt" }).ClickAsync();
        await Expect(pending).ToHaveCountAsync(1);

        await composer.FillAsync("Here it is.");
        await composer.PressAsync("Enter");
        var reply = Page.Locator(".message.outbound").Filter(new() { HasText = "Here it is." });
        await Expect(reply).ToHaveAttributeAsync("data-status", "sent");
        await Expect(reply.Locator(".attachment")).ToContainTextAsync("price-list.pdf");
        await Expect(reply.GetByTestId("reply-quote")).ToContainTextAsync("Can you send the price list?");
        await Expect(Page.GetByTestId("replying-to")).ToHaveCountAsync(0);
        await Expect(pending).ToHaveCountAsync(0);

        // What the integration received: the file's bytes and the provider id of the message answered.
        var delivered = JsonNode.Parse(Assert.Single(Callback.LogEntries).RequestMessage.Body!)!["message"]!;
        Assert.Equal("ext-1-" + Suffix, delivered["replyToExternalId"]!.GetValue<string>());
        var file = Assert.Single(delivered["attachments"]!.AsArray())!;
        Assert.Equal("price-list.pdf", file["fileName"]!.GetValue<string>());
        Assert.Equal(pdf, Convert.FromBase64String(file["contentBase64"]!.GetValue<string>()));

        // After a reload the quote and the file come from the server.
        await Page.ReloadAsync();
        await Expect(reply.GetByTestId("reply-quote")).ToContainTextAsync("Can you send the price list?");
        await Expect(reply.Locator(".attachment")).ToContainTextAsync("price-list.pdf");
    }

    [Fact]
    public async Task An_oversized_file_is_refused_next_to_it_and_a_dropped_file_goes_out_with_the_web_chat_reply()
    {
        var (conversationId, manager) = await WebchatConversationAsync();
        await Fx.OpenSignedInAsync(Page, manager.Email, path: $"/inbox/{conversationId}");
        await Expect(Page.Locator(".message.inbound")).ToContainTextAsync("Do you have this in blue?");
        var composer = Page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" });
        var pending = Page.GetByRole(AriaRole.List, new() { Name = "Files to send" }).Locator("li");

        // Over the server's limit (2 MB in tests): refused at upload, said next to the file.
        await PickAsync(new FilePayload { Name = "huge.bin", MimeType = "application/octet-stream", Buffer = new byte[3 * 1024 * 1024] });
        await Expect(pending.Filter(new() { HasText = "huge.bin" })).ToHaveAttributeAsync("data-status", "failed");
        await Expect(pending.Filter(new() { HasText = "huge.bin" })).ToContainTextAsync("Too large: A file may be at most 2 MB.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Remove huge.bin" }).ClickAsync();

        // Dropped on the composer: uploaded, then sent with the text (web chat sends files to the visitor since #18).
        await Page.Locator("form.composer").EvaluateAsync("""
            form => {
              const data = new DataTransfer();
              data.items.add(new File(['blue sofa'], 'blue.png', { type: 'image/png' }));
              form.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
            }
            """);
        await Expect(pending.Filter(new() { HasText = "blue.png" })).ToHaveAttributeAsync("data-status", "ready");
        await composer.FillAsync("Here is the blue one.");
        await composer.PressAsync("Enter");
        var sentReply = Page.Locator(".message.outbound").Filter(new() { HasText = "Here is the blue one." });
        await Expect(sentReply).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("^(queued|sent|delivered)$")); // the server's copy
        await Expect(sentReply).ToContainTextAsync("blue.png");
        await Expect(composer).ToHaveValueAsync("");
        await Expect(pending).ToHaveCountAsync(0);
        var messages = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/conversations/{conversationId}/messages"))!["items"]!.AsArray();
        var sent = Assert.Single(messages, m => m!["direction"]!.GetValue<string>() == "outbound")!;
        Assert.Equal("blue.png", Assert.Single(sent["attachments"]!.AsArray())!["fileName"]!.GetValue<string>());
    }

    /// <summary>A visitor writes through the web chat widget's routes, as the widget on a shop's page would.</summary>
    private async Task<(long ConversationId, ContactCenter.FunctionalTests.Infrastructure.AppFixture.TestUser Manager)> WebchatConversationAsync()
    {
        var created = await Fx.CreateChannelAsync("webchat", "Chat " + Suffix, new JsonObject { ["allowedOrigins"] = new JsonArray(SiteOrigin) });
        var manager = await Fx.CreateUserAsync("chat" + Suffix, "manager", created["id"]!.GetValue<long>());
        using var site = Fx.App.Http();
        site.DefaultRequestHeaders.Add("Origin", SiteOrigin);
        var session = await site.PostAsJsonAsync($"/api/widget/{created["public"]!["widgetKey"]}/session", new { name = "Vera Visitor" });
        Assert.True(session.IsSuccessStatusCode, await session.Content.ReadAsStringAsync());
        var token = (await session.Content.ReadFromJsonAsync<JsonObject>())!["visitorToken"]!.GetValue<string>();
        site.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var sent = await site.PostAsJsonAsync("/api/widget/messages", new { text = "Do you have this in blue?", clientMessageId = "c-" + Suffix });
        Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
        return ((await sent.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!.GetValue<long>(), manager);
    }

    /// <summary>Clicks the composer's attach button and picks the files in the browser's file chooser.</summary>
    private async Task PickAsync(params FilePayload[] files)
    {
        var chooser = await Page.RunAndWaitForFileChooserAsync(() => Page.GetByRole(AriaRole.Button, new() { Name = "Attach files" }).ClickAsync());
        await chooser.SetFilesAsync(files);
    }
}
