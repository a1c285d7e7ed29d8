using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ContactCenter.Connectors.Vk.Tests;

public sealed class VkInboundTests(VkFixture fixture) : IClassFixture<VkFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetVkAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record StoredMessage(long Id, long ConversationId, string Direction, string? Text, string Status, string? ExternalId, string? Metadata, DateTime? SentAt);

    private async Task<StoredMessage> MessageAsync(string externalId)
    {
        await using var db = fixture.Db();
        return await db.QuerySingleAsync<StoredMessage>(
            "select id, conversation_id, direction, text, status, external_id, metadata::text as metadata, sent_at from messages where external_id = @externalId",
            new { externalId });
    }

    [Fact]
    public async Task The_confirmation_request_is_answered_with_the_code_as_plain_text_and_stores_nothing()
    {
        var channelId = await fixture.CreateChannelIdAsync();

        var response = await fixture.PostEventAsync(channelId, fixture.Sample("confirmation"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(VkFixture.ConfirmationCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task A_confirmation_for_another_community_is_403_without_the_code()
    {
        var channelId = await fixture.CreateChannelIdAsync();

        var response = await fixture.PostEventAsync(channelId, """{"type": "confirmation", "group_id": 1}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(VkFixture.ConfirmationCode, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_text_message_becomes_a_message_of_a_new_contact_named_by_users_get_and_is_answered_ok()
    {
        var channelId = await fixture.CreateChannelIdAsync();

        var response = await fixture.PostEventAsync(channelId, fixture.Sample("message_new_text"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        var message = await MessageAsync("743784474:1365");
        Assert.Equal("inbound", message.Direction);
        Assert.Equal("Здравствуйте! Сколько стоит доставка в Казань? 🚚", message.Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764169272).UtcDateTime, message.SentAt);
        Assert.Equal("412", JsonSerializer.Deserialize<Dictionary<string, string>>(message.Metadata!)!["conversationMessageId"]);
        await using var db = fixture.Db();
        var identity = await db.QuerySingleAsync<(string Address, string DisplayName, string Username, string Name)>(
            "select i.address, i.display_name, i.username, c.name from contact_identities i join contacts c on c.id = i.contact_id where i.channel_kind = 'vk'");
        Assert.Equal(("743784474", "Анна Смирнова", "anna_smirnova", "Анна Смирнова"), identity);
        Assert.Equal(1, await fixture.CountAsync("leads"));
        var usersGet = VkFixture.Form(Assert.Single(fixture.Calls("users.get")));
        Assert.Equal("743784474", usersGet["user_ids"]);
        Assert.Equal("5.199", usersGet["v"]);
    }

    [Fact]
    public async Task A_message_is_stored_without_a_name_when_users_get_fails()
    {
        fixture.StubError("users.get", 10, "Internal server error");
        var channelId = await fixture.CreateChannelIdAsync();

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostEventAsync(channelId, fixture.Sample("message_new_text"))).StatusCode);

        Assert.Equal(1, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task A_redelivered_event_is_stored_once()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        var body = fixture.Sample("message_new_text");

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => fixture.PostEventAsync(channelId, body)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await fixture.CountAsync("messages"));
        Assert.Equal(1, await fixture.CountAsync("contacts"));
        await using var db = fixture.Db();
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select inbound_count from conversations"));
    }

    [Fact]
    public async Task A_photo_is_fetched_in_its_largest_size_and_served_to_authorised_users_only()
    {
        var picture = Enumerable.Range(0, 4000).Select(i => (byte)(i % 253)).ToArray();
        fixture.Vk.Given(Request.Create().WithPath("/impg/c0VkPh0t0/w.jpg").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "image/jpeg").WithBody(picture));
        var channelId = await fixture.CreateChannelIdAsync();

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostEventAsync(channelId, fixture.Sample("message_new_photo"))).StatusCode);

        Assert.Equal("Вот так пришла упаковка 📦 — угол помят", (await MessageAsync("743784474:1368")).Text);
        var attachmentId = await fixture.EventuallyAsync<long?>("select id from attachments where storage_path is not null", v => v is not null);
        await using var db = fixture.Db();
        var attachment = await db.QuerySingleAsync<(string FileName, string ContentType, long Size)>("select file_name, content_type, size from attachments");
        Assert.Equal(("photo_743784474_457239017.jpg", "image/jpeg", (long)picture.Length), attachment);
        Assert.Single(fixture.Vk.LogEntries, e => e.RequestMessage.Path.StartsWith("/impg/", StringComparison.Ordinal));
        using (var admin = fixture.App.Http(fixture.AdminToken))
        {
            Assert.Equal(picture, await admin.GetByteArrayAsync($"/api/attachments/{attachmentId}"));
        }
        var outsider = await fixture.CreateUserAsync("outsider", "manager");
        using var http = fixture.App.Http(outsider.Token);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/attachments/{attachmentId}")).StatusCode);
    }

    [Theory]
    [InlineData("message_new_doc", "Счёт №42.pdf", "application/pdf", "Счёт во вложении 🧾", "/doc743784474_671234567")]
    [InlineData("message_new_audio_message", "voice_743784474_671234601.ogg", "audio/ogg", null, "/s/v1/amsg/c0VkV01ce.ogg")]
    [InlineData("message_new_sticker", "sticker_9046.png", "image/png", null, "/sticker/1-9046-512")]
    public async Task Documents_voice_messages_and_stickers_become_attachments_fetched_by_the_media_job(
        string sample, string fileName, string contentType, string? text, string path)
    {
        var content = System.Text.Encoding.UTF8.GetBytes("file " + sample);
        fixture.Vk.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/octet-stream").WithBody(content));
        var channelId = await fixture.CreateChannelIdAsync();

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostEventAsync(channelId, fixture.Sample(sample))).StatusCode);

        await fixture.EventuallyAsync<long?>("select size from attachments where storage_path is not null", v => v is not null);
        await using var db = fixture.Db();
        var row = await db.QuerySingleAsync<(string FileName, string ContentType, string? Text, long Size)>(
            "select a.file_name, a.content_type, m.text, a.size from attachments a join messages m on m.id = a.message_id");
        Assert.Equal((fileName, contentType, text, (long)content.Length), row);
        Assert.Equal(1, await fixture.CountAsync("outbox where kind = 'media:vk'"));
    }

    [Fact]
    public async Task An_edit_changes_the_text_and_keeps_the_original_as_for_telegram()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        await fixture.PostEventAsync(channelId, fixture.Sample("message_new_text"));

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostEventAsync(channelId, fixture.Sample("message_edit"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostEventAsync(channelId, fixture.Sample("message_edit"))).StatusCode);

        var message = await MessageAsync("743784474:1365");
        Assert.Equal("Здравствуйте! Сколько стоит доставка в Казань и в Самару? 🚚", message.Text);
        var metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(message.Metadata!)!;
        Assert.Equal("Здравствуйте! Сколько стоит доставка в Казань? 🚚", metadata["originalText"]);
        Assert.Equal("true", metadata["edited"]);
        Assert.Equal("2025-11-26T15:02:10.000Z", metadata["editedAt"]);
        Assert.Equal(1, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task A_wrong_or_missing_secret_is_401_and_stores_nothing()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        var wrong = fixture.Sample("message_new_text").Replace(VkFixture.Secret, "cc0vkSecretKey2027", StringComparison.Ordinal);
        var missing = JsonNode.Parse(fixture.Sample("message_new_text"))!.AsObject();
        missing.Remove("secret");
        var prefix = fixture.Sample("message_new_text").Replace(VkFixture.Secret, VkFixture.Secret[..8], StringComparison.Ordinal);

        var responses = new[]
        {
            await fixture.PostEventAsync(channelId, wrong),
            await fixture.PostEventAsync(channelId, missing.ToJsonString()),
            await fixture.PostEventAsync(channelId, prefix),
        };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal("application/problem+json", responses[0].Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("contacts"));
    }

    [Fact]
    public async Task An_event_of_another_community_is_403_and_stores_nothing()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        var other = fixture.Sample("message_new_text").Replace("\"group_id\": 218375120", "\"group_id\": 218375121", StringComparison.Ordinal);

        var response = await fixture.PostEventAsync(channelId, other);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Theory]
    [InlineData("{\"type\": \"message_new\", \"object\": ")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{}")]
    public async Task Malformed_json_is_400_problem_details_and_stores_nothing(string body)
    {
        var channelId = await fixture.CreateChannelIdAsync();

        var response = await fixture.PostEventAsync(channelId, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.False(string.IsNullOrEmpty(problem!["detail"]?.GetValue<string>()));
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task A_message_event_without_a_message_is_400()
    {
        var channelId = await fixture.CreateChannelIdAsync();

        var response = await fixture.PostEventAsync(channelId, $$$"""{"type": "message_new", "group_id": {{{VkFixture.GroupId}}}, "object": {"message": {"text": "hi"} }, "secret": "{{{VkFixture.Secret}}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_413()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        var body = fixture.Sample("message_new_text").Replace("Здравствуйте!", new string('я', 1_100_000), StringComparison.Ordinal);

        var response = await fixture.PostEventAsync(channelId, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task An_event_the_service_does_not_understand_is_stored_once_for_review()
    {
        var channelId = await fixture.CreateChannelIdAsync();

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostEventAsync(channelId, fixture.Sample("group_join"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostEventAsync(channelId, fixture.Sample("group_join"))).StatusCode);

        await using var db = fixture.Db();
        var row = await db.QuerySingleAsync<(string ExternalId, string Kind)>("select external_id, kind from unhandled_inbound");
        Assert.Equal(("event:91a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4", "group_join"), row);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task An_unhandled_event_carrying_a_nul_is_kept_without_it_not_a_500()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        var body = fixture.Sample("group_join").Replace("\"join_type\": \"join\"", "\"join_type\": \"jo\\u0000in\", \"n\\u0000\": 1", StringComparison.Ordinal);
        Assert.Contains("\\u0000", body, StringComparison.Ordinal);

        var response = await fixture.PostEventAsync(channelId, body);

        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        await using var db = fixture.Db();
        Assert.Equal("join", await db.ExecuteScalarAsync<string>("select raw->'object'->>'join_type' from unhandled_inbound"));
    }

    [Fact]
    public async Task A_group_chat_message_is_ignored_with_ok()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        var chat = fixture.Sample("message_new_text").Replace("\"peer_id\": 743784474", "\"peer_id\": 2000000007", StringComparison.Ordinal);

        var response = await fixture.PostEventAsync(channelId, chat);

        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task An_unknown_channel_or_a_channel_of_another_kind_is_404()
    {
        var api = await fixture.CreateApiChannelAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await fixture.PostEventAsync(987_654, fixture.Sample("message_new_text"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.PostEventAsync(api.Id, fixture.Sample("message_new_text"))).StatusCode);
    }
}
