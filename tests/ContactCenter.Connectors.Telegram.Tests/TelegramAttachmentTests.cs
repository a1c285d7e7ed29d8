using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Core;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ContactCenter.Connectors.Telegram.Tests;

/// <summary>Replies with files: uploaded through REST, sent as sendPhoto / sendDocument multipart uploads.</summary>
public sealed class TelegramAttachmentTests(TelegramFixture fixture) : IClassFixture<TelegramFixture>, IAsyncLifetime
{
    private const long ChatId = 5551234567;
    private const string Caption = "Анна, вот фото заказа и счёт 📎";

    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF фото"u8.ToArray(), 0xFF, 0xD9];
    private static readonly byte[] Pdf = "%PDF-1.4 счёт №42 на 3 500 ₽"u8.ToArray();

    public Task InitializeAsync() => fixture.ResetTelegramAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record FormPart(string? FileName, byte[] Content)
    {
        public string Text => Encoding.UTF8.GetString(Content);
    }

    /// <summary>
    /// The multipart/form-data fields of a call the stand-in Bot API received, by name. The library uploads a file as a
    /// part of its own that the field names (`document` = `attach://0`): such a field is given that part.
    /// </summary>
    private static async Task<Dictionary<string, FormPart>> FormAsync(WireMock.Logging.ILogEntry call)
    {
        var contentType = MediaTypeHeaderValue.Parse(call.RequestMessage.Headers!["Content-Type"].First());
        Assert.Equal("multipart/form-data", contentType.MediaType.Value);
        var reader = new MultipartReader(HeaderUtilities.RemoveQuotes(contentType.Boundary).Value!, new MemoryStream(call.RequestMessage.BodyData!.BodyAsBytes!));
        var fields = new Dictionary<string, FormPart>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            var disposition = section.GetContentDispositionHeader()!;
            using var content = new MemoryStream();
            await section.Body.CopyToAsync(content);
            var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
            fields[HeaderUtilities.RemoveQuotes(disposition.Name).Value!] = new FormPart(string.IsNullOrEmpty(fileName) ? null : fileName, content.ToArray());
        }
        return fields.ToDictionary(f => f.Key, f => f.Value.Text.StartsWith("attach://", StringComparison.Ordinal) ? fields[f.Value.Text["attach://".Length..]] : f.Value);
    }

    private async Task<long> UploadAsync(long conversationId, string fileName, byte[] content, string contentType)
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        return await AppFixture.UploadIdAsync(http, conversationId, fileName, content, contentType);
    }

    private async Task<T?> ScalarAsync<T>(string sql, object args)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<T>(sql, args);
    }

    [Fact]
    public async Task A_reply_with_a_photo_and_a_document_uploads_both_with_the_text_as_the_photos_caption()
    {
        fixture.StubOk("sendPhoto", TelegramFixture.SentMessage(ChatId, 1370, Caption));
        fixture.StubOk("sendDocument", TelegramFixture.SentMessage(ChatId, 1371, ""));
        var conversationId = await fixture.OpenConversationAsync();
        var photoId = await UploadAsync(conversationId, "фото заказа.jpg", Jpeg, "image/jpeg");
        var pdfId = await UploadAsync(conversationId, "Счёт №42.pdf", Pdf, "application/pdf");
        var customersMessageId = await ScalarAsync<long>("select id from messages where external_id = @id", new { id = $"{ChatId}:1365" });

        var messageId = await fixture.ReplyAsync(conversationId, Caption, customersMessageId, [photoId, pdfId]);

        Assert.Equal("sent", await fixture.StatusWhenSettledAsync(messageId));
        Assert.Empty(fixture.Calls("sendMessage"));
        var photo = await FormAsync(Assert.Single(fixture.Calls("sendPhoto")));
        Assert.Equal(ChatId.ToString(), photo["chat_id"].Text);
        Assert.Equal("фото заказа.jpg", photo["photo"].FileName);
        Assert.Equal(Jpeg, photo["photo"].Content);
        Assert.Equal(Caption, photo["caption"].Text);
        var replyTo = JsonNode.Parse(photo["reply_parameters"].Text)!;
        Assert.Equal(1365, replyTo["message_id"]!.GetValue<int>());
        Assert.True(replyTo["allow_sending_without_reply"]!.GetValue<bool>());

        var document = await FormAsync(Assert.Single(fixture.Calls("sendDocument")));
        Assert.Equal("Счёт №42.pdf", document["document"].FileName);
        Assert.Equal(Pdf, document["document"].Content);
        Assert.False(document.ContainsKey("caption"));
        Assert.False(document.ContainsKey("reply_parameters"));

        // The photo's Telegram id is the message's; each part's id is kept in its metadata.
        Assert.Equal($"{ChatId}:1370", await ScalarAsync<string>("select external_id from messages where id = @messageId", new { messageId }));
        Assert.Equal($"{ChatId}:1371", await ScalarAsync<string>("select metadata->>('sent:file:' || @pdfId) from messages where id = @messageId", new { messageId, pdfId }));
    }

    [Fact]
    public async Task A_long_text_goes_first_and_a_retry_after_a_partial_success_sends_only_what_is_left()
    {
        fixture.StubOk("sendMessage", TelegramFixture.SentMessage(ChatId, 1372, "…"));
        // sendDocument: the first file goes through, the second meets a 429 (retry_after 1 s), then goes through.
        var scenario = "partial-" + Guid.NewGuid().ToString("N");
        var path = fixture.MethodPath("sendDocument");
        fixture.Bot.Given(Request.Create().WithPath(path).UsingPost()).InScenario(scenario).WillSetStateTo("one sent").AtPriority(5)
            .RespondWith(Ok(1373));
        fixture.Bot.Given(Request.Create().WithPath(path).UsingPost()).InScenario(scenario).WhenStateIs("one sent").WillSetStateTo("limited").AtPriority(3)
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Content-Type", "application/json")
                .WithBody(TelegramFixture.Error(429, "Too Many Requests: retry after 1", retryAfter: 1)));
        fixture.Bot.Given(Request.Create().WithPath(path).UsingPost()).InScenario(scenario).WhenStateIs("limited").AtPriority(1)
            .RespondWith(Ok(1374));
        var conversationId = await fixture.OpenConversationAsync();
        var priceList = await UploadAsync(conversationId, "прайс.csv", "товар;цена\nчай;350 ₽\n"u8.ToArray(), "text/csv");
        var contract = await UploadAsync(conversationId, "Договор.pdf", Pdf, "application/pdf");
        var text = string.Concat(Enumerable.Repeat("Условия доставки и оплаты 🚚 ", 50)); // 1450 chars: too long for a caption

        var messageId = await fixture.ReplyAsync(conversationId, text, attachmentIds: [priceList, contract]);

        Assert.Equal("sent", await fixture.StatusWhenSettledAsync(messageId));
        var sentText = Assert.Single(fixture.Calls("sendMessage")); // not sent again by the retry
        Assert.Equal(text, JsonNode.Parse(sentText.RequestMessage.Body!)!["text"]!.GetValue<string>());
        var documents = new List<Dictionary<string, FormPart>>();
        foreach (var call in fixture.Calls("sendDocument"))
        {
            documents.Add(await FormAsync(call));
        }
        Assert.Equal(["прайс.csv", "Договор.pdf", "Договор.pdf"], documents.Select(d => d["document"].FileName));
        Assert.All(documents, d => Assert.False(d.ContainsKey("caption")));
        Assert.True(sentText.RequestMessage.DateTime < fixture.Calls("sendDocument").First().RequestMessage.DateTime);
        Assert.Equal($"{ChatId}:1372", await ScalarAsync<string>("select external_id from messages where id = @messageId", new { messageId }));
        Assert.Equal($"{ChatId}:1374", await ScalarAsync<string>("select metadata->>('sent:file:' || @contract) from messages where id = @messageId", new { messageId, contract }));
    }

    [Fact]
    public async Task An_image_telegram_refuses_as_a_photo_goes_as_a_document()
    {
        fixture.StubError("sendPhoto", 400, "Bad Request: PHOTO_INVALID_DIMENSIONS");
        fixture.StubOk("sendDocument", TelegramFixture.SentMessage(ChatId, 1375, ""));
        var conversationId = await fixture.OpenConversationAsync();
        var png = "\x89PNG панорама"u8.ToArray();
        var panorama = await UploadAsync(conversationId, "панорама.png", png, "image/png");

        var messageId = await fixture.ReplyAsync(conversationId, "", attachmentIds: [panorama]);

        Assert.Equal("sent", await fixture.StatusWhenSettledAsync(messageId));
        Assert.Single(fixture.Calls("sendPhoto"));
        var document = await FormAsync(Assert.Single(fixture.Calls("sendDocument")));
        Assert.Equal("панорама.png", document["document"].FileName);
        Assert.Equal(png, document["document"].Content);
        Assert.Empty(fixture.Calls("sendMessage"));
    }

    [Fact]
    public async Task A_refused_file_fails_the_reply_in_plain_words_and_a_manual_retry_sends_only_that_file()
    {
        fixture.StubOk("sendPhoto", TelegramFixture.SentMessage(ChatId, 1376, Caption));
        var scenario = "refused-" + Guid.NewGuid().ToString("N");
        var path = fixture.MethodPath("sendDocument");
        fixture.Bot.Given(Request.Create().WithPath(path).UsingPost()).InScenario(scenario).WillSetStateTo("refused").AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json")
                .WithBody(TelegramFixture.Error(400, "Bad Request: file must be non-empty")));
        fixture.Bot.Given(Request.Create().WithPath(path).UsingPost()).InScenario(scenario).WhenStateIs("refused").AtPriority(1)
            .RespondWith(Ok(1377));
        var conversationId = await fixture.OpenConversationAsync();
        var photoId = await UploadAsync(conversationId, "фото заказа.jpg", Jpeg, "image/jpeg");
        var pdfId = await UploadAsync(conversationId, "Счёт №42.pdf", Pdf, "application/pdf");

        var messageId = await fixture.ReplyAsync(conversationId, Caption, attachmentIds: [photoId, pdfId]);

        Assert.Equal("failed", await fixture.StatusWhenSettledAsync(messageId));
        Assert.Equal("Telegram refused the file \"Счёт №42.pdf\": Bad Request: file must be non-empty (the parts of the reply before it were delivered)",
            await ScalarAsync<string>("select error from messages where id = @messageId", new { messageId }));

        using (var http = fixture.App.Http(fixture.AdminToken))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, (await http.PostAsync($"/api/messages/{messageId}/retry", null)).StatusCode);
        }

        Assert.Equal("sent", await fixture.StatusWhenSettledAsync(messageId));
        Assert.Single(fixture.Calls("sendPhoto"));
        Assert.Equal(2, fixture.Calls("sendDocument").Count());
        Assert.Equal($"{ChatId}:1376", await ScalarAsync<string>("select external_id from messages where id = @messageId", new { messageId }));
    }

    private static IResponseBuilder Ok(int messageId) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody(new JsonObject { ["ok"] = true, ["result"] = TelegramFixture.SentMessage(ChatId, messageId, "") }.ToJsonString());

    [Fact]
    public void A_caption_that_fits_rides_on_the_first_file_and_a_longer_text_goes_first_in_pieces()
    {
        OutboundAttachment File(long id, string type = "application/pdf", long size = 1000) => new(id, $"f{id}", type, size, $"x/{id}");

        var captioned = TelegramChannelSender.Plan("Счёт 📎", [File(1), File(2)]);
        Assert.Equal(["file:1", "file:2"], captioned.Select(p => p.Name));
        Assert.Equal(["Счёт 📎", null], captioned.Select(p => p.Text));

        var exactly = TelegramChannelSender.Plan(new string('я', TelegramChannelSender.MaxCaptionLength), [File(1)]);
        Assert.Equal(["file:1"], exactly.Select(p => p.Name));

        var longer = TelegramChannelSender.Plan(new string('я', 5000), [File(7)]);
        Assert.Equal(["text:0", "text:1", "file:7"], longer.Select(p => p.Name));
        Assert.Null(longer[2].Text);

        Assert.Equal(["file:3"], TelegramChannelSender.Plan("  ", [File(3)]).Select(p => p.Name));
        Assert.Empty(TelegramChannelSender.Plan("", []));

        Assert.True(TelegramChannelSender.IsPhoto(File(1, "image/jpeg")));
        Assert.True(TelegramChannelSender.IsPhoto(File(1, "IMAGE/PNG", TelegramChannelSender.MaxPhotoBytes)));
        Assert.False(TelegramChannelSender.IsPhoto(File(1, "image/webp", TelegramChannelSender.MaxPhotoBytes + 1)));
        Assert.False(TelegramChannelSender.IsPhoto(File(1, "image/gif")));
        Assert.False(TelegramChannelSender.IsPhoto(File(1, "image/svg+xml")));
    }
}
