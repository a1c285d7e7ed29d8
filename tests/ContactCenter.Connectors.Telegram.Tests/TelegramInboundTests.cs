using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Connectors.Telegram.Tests;

public sealed partial class TelegramInboundTests(TelegramFixture fixture) : IClassFixture<TelegramFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetTelegramAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record StoredMessage(long Id, long ConversationId, string Direction, string? Text, string Status, string? ExternalId, long? ReplyToId, string? Metadata, DateTime? SentAt);

    private async Task<StoredMessage> MessageAsync(string externalId)
    {
        await using var db = fixture.Db();
        return await db.QuerySingleAsync<StoredMessage>(
            "select id, conversation_id, direction, text, status, external_id, reply_to_id, metadata::text as metadata, sent_at from messages where external_id = @externalId",
            new { externalId });
    }

    [Fact]
    public async Task A_private_text_message_becomes_a_message_of_a_new_contact_with_name_and_username()
    {
        var channelId = await fixture.CreateChannelIdAsync();

        var response = await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("text"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.Content.Headers.ContentLength ?? 0);
        var message = await MessageAsync("5551234567:1365");
        Assert.Equal("inbound", message.Direction);
        Assert.Equal("Здравствуйте! Сколько стоит доставка в Казань? 🚚", message.Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764169272).UtcDateTime, message.SentAt);
        await using var db = fixture.Db();
        var identity = await db.QuerySingleAsync<(string Address, string DisplayName, string Username, string Name)>(
            "select i.address, i.display_name, i.username, c.name from contact_identities i join contacts c on c.id = i.contact_id where i.channel_kind = 'telegram'");
        Assert.Equal(("5551234567", "Анна Смирнова", "anna_smirnova", "Анна Смирнова"), identity);
        Assert.Equal(1, await fixture.CountAsync("leads"));

        // And a manager sees it through REST.
        using var http = fixture.App.Http(fixture.AdminToken);
        var page = await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{message.ConversationId}/messages");
        var item = page!["items"]![0]!;
        Assert.Equal("Здравствуйте! Сколько стоит доставка в Казань? 🚚", item["text"]!.GetValue<string>());
        Assert.Equal("Анна Смирнова", item["sender"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_redelivered_update_is_stored_once()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        var body = TelegramFixture.Sample("text");

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => fixture.PostUpdateAsync(channelId, body)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await fixture.CountAsync("messages"));
        Assert.Equal(1, await fixture.CountAsync("contacts"));
        await using var db = fixture.Db();
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select inbound_count from conversations"));
    }

    [Fact]
    public async Task Start_with_a_payload_records_the_payload_as_the_leads_source()
    {
        var channelId = await fixture.CreateChannelIdAsync();

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("start"))).StatusCode);

        await using var db = fixture.Db();
        Assert.Equal("utm_vk_autumn2026", await db.ExecuteScalarAsync<string>("select source from leads"));
        Assert.Equal("/start utm_vk_autumn2026", (await MessageAsync("5551234567:1364")).Text);
    }

    [Fact]
    public async Task A_photo_with_caption_becomes_the_text_and_an_attachment_fetched_through_getFile_and_served_to_authorised_users_only()
    {
        var picture = Enumerable.Range(0, 3000).Select(i => (byte)(i % 251)).ToArray();
        fixture.StubOk("getFile", new JsonObject
        {
            ["file_id"] = "AgACAgIAAxkBAAIBXmVk-large", ["file_unique_id"] = "AQADlarge", ["file_size"] = picture.Length, ["file_path"] = "photos/file_17.jpg",
        });
        fixture.Bot.Given(WireMock.RequestBuilders.Request.Create().WithPath($"/file/bot{TelegramFixture.Token}/photos/file_17.jpg").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "image/jpeg").WithBody(picture));
        var channelId = await fixture.CreateChannelIdAsync();

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("photo"))).StatusCode);

        var message = await MessageAsync("5551234567:1368");
        Assert.Equal("Вот так пришла упаковка 📦 — угол помят", message.Text);
        var attachmentId = await fixture.EventuallyAsync<long?>("select id from attachments where storage_path is not null", v => v is not null);
        await using var db = fixture.Db();
        var attachment = await db.QuerySingleAsync<(string FileName, string ContentType, long Size, string ExternalRef)>(
            "select file_name, content_type, size, external_ref from attachments");
        Assert.Equal(("photo_AQADlarge.jpg", "image/jpeg", (long)picture.Length, "AgACAgIAAxkBAAIBXmVk-large"), attachment);
        var getFile = Assert.Single(fixture.Calls("getFile"));
        Assert.Contains("AgACAgIAAxkBAAIBXmVk-large", getFile.RequestMessage.Body);

        using (var admin = fixture.App.Http(fixture.AdminToken))
        {
            var download = await admin.GetAsync($"/api/attachments/{attachmentId}");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(picture, await download.Content.ReadAsByteArrayAsync());
        }
        var outsider = await fixture.CreateUserAsync("outsider", "manager");
        using (var http = fixture.App.Http(outsider.Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/attachments/{attachmentId}")).StatusCode);
        }
        using (var anonymous = fixture.App.Http())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/attachments/{attachmentId}")).StatusCode);
        }
    }

    [Theory]
    [InlineData("document", "Счёт №42.pdf", "application/pdf", "Счёт во вложении 🧾")]
    [InlineData("voice", "voice_AgADvoice.ogg", "audio/ogg", null)]
    [InlineData("sticker", "sticker_AgADsticker.webp", "image/webp", "👍")]
    public async Task Documents_voice_notes_and_stickers_become_attachments(string sample, string fileName, string contentType, string? text)
    {
        var channelId = await fixture.CreateChannelIdAsync();

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample(sample))).StatusCode);

        await using var db = fixture.Db();
        var row = await db.QuerySingleAsync<(string FileName, string ContentType, string? Text)>(
            "select a.file_name, a.content_type, m.text from attachments a join messages m on m.id = a.message_id");
        Assert.Equal((fileName, contentType, text), row);
        Assert.Equal(1, await fixture.CountAsync("outbox where kind = 'media:telegram'"));
    }

    [Fact]
    public async Task A_shared_own_phone_number_becomes_the_contacts_phone()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("text"));

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("contact"))).StatusCode);

        await using var db = fixture.Db();
        Assert.Equal("+79161234567", await db.ExecuteScalarAsync<string>("select phone from contacts"));
        Assert.Equal(1, await fixture.CountAsync("contacts"));
        Assert.Equal("📱 Contact: Анна Смирнова, +79161234567", (await MessageAsync("5551234567:1372")).Text);
    }

    [Fact]
    public async Task A_location_is_stored_as_text_with_coordinates()
    {
        var channelId = await fixture.CreateChannelIdAsync();

        await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("location"));

        var message = await MessageAsync("5551234567:1373");
        Assert.StartsWith("📍 Location: 55.796127, 49.106414", message.Text);
        var metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(message.Metadata!)!;
        Assert.Equal("55.796127", metadata["latitude"]);
    }

    [Fact]
    public async Task A_reply_links_to_the_replied_message()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("text"));

        await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("reply"));

        var original = await MessageAsync("5551234567:1365");
        var reply = await MessageAsync("5551234567:1367");
        Assert.Equal(original.Id, reply.ReplyToId);
        Assert.Equal(original.ConversationId, reply.ConversationId);
    }

    [Fact]
    public async Task An_edit_changes_the_text_keeps_the_original_and_is_pushed_as_messageUpdated()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("text"));
        await using var hub = await fixture.ConnectHubAsync(fixture.AdminToken);
        var events = new ContactCenter.FunctionalTests.Infrastructure.HubRecorder(hub);

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("edited"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("edited"))).StatusCode);

        var message = await MessageAsync("5551234567:1365");
        Assert.Equal("Здравствуйте! Сколько стоит доставка в Казань и в Самару? 🚚", message.Text);
        var metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(message.Metadata!)!;
        Assert.Equal("Здравствуйте! Сколько стоит доставка в Казань? 🚚", metadata["originalText"]);
        Assert.Equal("true", metadata["edited"]);
        Assert.Equal("2025-11-26T15:02:10.000Z", metadata["editedAt"]);
        Assert.Equal(1, await fixture.CountAsync("messages"));
        await using (var db = fixture.Db())
        {
            // The conversation's preview (the supervisors' queue) follows an edit of its last message.
            Assert.Equal("Здравствуйте! Сколько стоит доставка в Казань и в Самару? 🚚",
                await db.ExecuteScalarAsync<string>("select last_preview from conversations where id = @ConversationId", new { message.ConversationId }));
        }
        var pushed = await events.WaitForAsync("messageUpdated", m => m["id"]!.GetValue<long>() == message.Id);
        Assert.Equal("Здравствуйте! Сколько стоит доставка в Казань и в Самару? 🚚", pushed["text"]!.GetValue<string>());
        Assert.Equal("true", pushed["metadata"]!["edited"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_edit_of_an_older_message_changes_its_text_but_not_the_conversations_preview_of_its_last_message()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("text"));
        var later = JsonNode.Parse(TelegramFixture.Sample("text"))!;
        later["update_id"] = 815200103;
        later["message"]!["message_id"] = 1366;
        later["message"]!["text"] = "И ещё: можно оплатить при получении?";
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, later.ToJsonString())).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("edited"))).StatusCode);

        var edited = await MessageAsync("5551234567:1365");
        Assert.Equal("Здравствуйте! Сколько стоит доставка в Казань и в Самару? 🚚", edited.Text);
        await using var db = fixture.Db();
        Assert.Equal("И ещё: можно оплатить при получении?",
            await db.ExecuteScalarAsync<string>("select last_preview from conversations where id = @ConversationId", new { edited.ConversationId }));
        using var http = fixture.App.Http(fixture.AdminToken);
        var queue = await http.GetFromJsonAsync<JsonObject>("/api/stats/queue");
        var row = queue!["waiting"]!.AsArray().Single(i => i!["conversationId"]!.GetValue<long>() == edited.ConversationId)!;
        Assert.Equal("И ещё: можно оплатить при получении?", row["preview"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_customer_blocking_the_bot_is_noted_in_their_conversation_at_once_and_unblocking_and_blocking_again_too()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("my_chat_member_kicked"))).StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages")); // no conversation yet: nothing to note it in, and no error
        await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("text"));
        await using var hub = await fixture.ConnectHubAsync(fixture.AdminToken);
        var events = new ContactCenter.FunctionalTests.Infrastructure.HubRecorder(hub);

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("my_chat_member_kicked"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("my_chat_member_kicked"))).StatusCode);

        var pushed = await events.WaitForAsync("messageCreated", m => m["direction"]!.GetValue<string>() == "note");
        Assert.Equal("The customer blocked the bot: replies cannot be delivered until they unblock it and write again.", pushed["text"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("my_chat_member_unblocked"))).StatusCode);
        // Blocked again without writing in between: the newest note must say so again.
        var again = System.Text.Json.Nodes.JsonNode.Parse(TelegramFixture.Sample("my_chat_member_kicked"))!;
        again["update_id"] = 815200142;
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, again.ToJsonString())).StatusCode);
        await using var db = fixture.Db();
        var notes = (await db.QueryAsync<(string Notice, string Sender)>(
            "select metadata->>'notice', sender_type from messages where direction = 'note' order by id")).ToList();
        Assert.Equal([("telegram.blocked", "system"), ("telegram.unblocked", "system"), ("telegram.blocked", "system")], notes);
        Assert.Equal(0, await fixture.CountAsync("unhandled_inbound"));
    }

    [Fact]
    public async Task An_edit_of_a_message_never_received_is_stored_as_an_edited_message()
    {
        var channelId = await fixture.CreateChannelIdAsync();

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("edited"))).StatusCode);

        var message = await MessageAsync("5551234567:1365");
        Assert.Equal("Здравствуйте! Сколько стоит доставка в Казань и в Самару? 🚚", message.Text);
        Assert.Equal("true", JsonSerializer.Deserialize<Dictionary<string, string>>(message.Metadata!)!["edited"]);
    }
}
