using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ContactCenter.Connectors.Vk.Tests;

/// <summary>What the community does in VK itself (message_reply) and what the customer allows (message_allow / message_deny).</summary>
public sealed class VkCommunityTests(VkFixture fixture) : IClassFixture<VkFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetVkAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_reply_written_in_vk_is_stored_once_as_a_sent_outbound_message_and_never_sent_back()
    {
        var (channelId, conversationId) = await fixture.OpenConversationAsync();

        Assert.Equal("ok", await (await fixture.PostEventAsync(channelId, fixture.Sample("message_reply"))).Content.ReadAsStringAsync());
        Assert.Equal("ok", await (await fixture.PostEventAsync(channelId, fixture.Sample("message_reply"))).Content.ReadAsStringAsync());

        await using var db = fixture.Db();
        var row = await db.QuerySingleAsync<(long ConversationId, string Direction, string Status, string Text, string Sender, string AdminId)>(
            "select conversation_id, direction, status, text, sender_type, metadata->>'vkAdminId' from messages where external_id = '743784474:1366'");
        Assert.Equal((conversationId, "outbound", "sent", "Добрый день! Доставка в Казань — 350 ₽, 2–3 дня.", "user", "512093874"), row);
        Assert.Equal(2, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("outbox where kind = 'send'"));
        Assert.Null(await db.ExecuteScalarAsync<DateTime?>("select waiting_since from conversations where id = @conversationId", new { conversationId }));
        Assert.Empty(fixture.Calls("messages.send"));
        using var http = fixture.App.Http(fixture.AdminToken);
        var page = await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages");
        var newest = page!["items"]![0]!;
        Assert.Equal("outbound", newest["direction"]!.GetValue<string>());
        Assert.Equal("VK community", newest["sender"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_edit_of_a_reply_written_in_vk_changes_its_text_and_the_conversations_preview_and_an_older_edit_changes_nothing()
    {
        var (channelId, conversationId) = await fixture.OpenConversationAsync();
        Assert.Equal("ok", await (await fixture.PostEventAsync(channelId, fixture.Sample("message_reply"))).Content.ReadAsStringAsync());
        var edit = JsonNode.Parse(fixture.Sample("message_edit"))!;
        edit["object"]!["id"] = 1366;
        edit["object"]!["from_id"] = -VkFixture.GroupId;
        edit["object"]!["out"] = 1;
        edit["object"]!["text"] = "Добрый день! Доставка в Казань — 300 ₽, 2–3 дня.";
        edit["object"]!["update_time"] = 1764169500;
        var older = edit.DeepClone();
        older["object"]!["text"] = "Добрый день! Доставка — 320 ₽.";
        older["object"]!["update_time"] = 1764169450;

        Assert.Equal("ok", await (await fixture.PostEventAsync(channelId, edit.ToJsonString())).Content.ReadAsStringAsync());
        Assert.Equal("ok", await (await fixture.PostEventAsync(channelId, older.ToJsonString())).Content.ReadAsStringAsync());

        await using var db = fixture.Db();
        var row = await db.QuerySingleAsync<(string Text, string Original, string Preview)>("""
            select m.text, m.metadata->>'originalText', c.last_preview
            from messages m join conversations c on c.id = m.conversation_id where m.external_id = '743784474:1366'
            """);
        Assert.Equal(("Добрый день! Доставка в Казань — 300 ₽, 2–3 дня.", "Добрый день! Доставка в Казань — 350 ₽, 2–3 дня.",
            "Добрый день! Доставка в Казань — 300 ₽, 2–3 дня."), row);
        Assert.Equal(2, await fixture.CountAsync("messages"));
        using var http = fixture.App.Http(fixture.AdminToken);
        var summary = await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}");
        Assert.Equal("Добрый день! Доставка в Казань — 300 ₽, 2–3 дня.", summary!["lastMessage"]!["preview"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_file_the_community_sent_in_vk_is_stored_once_with_its_message_fetched_by_the_media_job_and_on_the_timeline()
    {
        var content = System.Text.Encoding.UTF8.GetBytes("the community's invoice");
        fixture.Vk.Given(Request.Create().WithPath("/doc743784474_671234567").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/pdf").WithBody(content));
        var (channelId, conversationId) = await fixture.OpenConversationAsync();
        var reply = JsonNode.Parse(fixture.Sample("message_reply"))!;
        reply["object"]!["text"] = "";
        reply["object"]!["attachments"] = JsonNode.Parse(fixture.Sample("message_new_doc"))!["object"]!["message"]!["attachments"]!.DeepClone();

        Assert.Equal("ok", await (await fixture.PostEventAsync(channelId, reply.ToJsonString())).Content.ReadAsStringAsync());
        Assert.Equal("ok", await (await fixture.PostEventAsync(channelId, reply.ToJsonString())).Content.ReadAsStringAsync()); // VK's retry

        await fixture.EventuallyAsync<long?>("select size from attachments where storage_path is not null", v => v is not null);
        await using var db = fixture.Db();
        var row = await db.QuerySingleAsync<(long MessageId, string Direction, string Status, string? Text, string Sender, string FileName, long Size)>("""
            select m.id, m.direction, m.status, m.text, m.sender_type, a.file_name, a.size
            from attachments a join messages m on m.id = a.message_id
            """);
        Assert.Equal(("outbound", "sent", "user", "Счёт №42.pdf", (long)content.Length), (row.Direction, row.Status, row.Sender, row.FileName, row.Size));
        Assert.True(string.IsNullOrEmpty(row.Text), row.Text);
        Assert.Equal(1, await fixture.CountAsync("messages where direction = 'outbound'"));
        Assert.Equal(1, await fixture.CountAsync("outbox where kind = 'media:vk'"));
        Assert.Equal(0, await fixture.CountAsync("outbox where kind = 'send'"));
        var entry = await db.QuerySingleAsync<(string Kind, string Direction, string Actor)>("""
            select data->>'channelKind', data->>'direction', actor_type from timeline_entries
            where type = 'message' and (data->>'messageId')::bigint = @MessageId
            """, new { row.MessageId });
        Assert.Equal(("vk", "outbound", "system"), entry);
        using var http = fixture.App.Http(fixture.AdminToken);
        var newest = (await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages"))!["items"]![0]!;
        Assert.Equal("VK community", newest["sender"]!["name"]!.GetValue<string>());
        Assert.Equal("Счёт №42.pdf", newest["attachments"]![0]!["fileName"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_echo_of_our_own_send_is_not_stored_a_second_time()
    {
        fixture.StubOk("messages.send", 1366);
        var (channelId, conversationId) = await fixture.OpenConversationAsync();
        var messageId = await fixture.ReplyAsync(conversationId, "Добрый день!");
        Assert.Equal("sent", await fixture.StatusWhenSettledAsync(messageId));
        var randomId = VkFixture.Form(Assert.Single(fixture.Calls("messages.send")))["random_id"];
        var echo = JsonNode.Parse(fixture.Sample("message_reply"))!;
        echo["object"]!["random_id"] = long.Parse(randomId, System.Globalization.CultureInfo.InvariantCulture);
        echo["object"]!["id"] = 1366;
        echo["object"]!.AsObject().Remove("admin_author_id");

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostEventAsync(channelId, echo.ToJsonString())).StatusCode);

        await using var db = fixture.Db();
        Assert.Equal(1, await fixture.CountAsync("messages where direction = 'outbound'"));
        Assert.Equal("743784474:1366", await db.ExecuteScalarAsync<string>("select external_id from messages where id = @messageId", new { messageId }));
    }

    [Fact]
    public async Task A_reply_written_in_vk_before_any_conversation_is_kept_for_review()
    {
        var channelId = await fixture.CreateChannelIdAsync();

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostEventAsync(channelId, fixture.Sample("message_reply"))).StatusCode);

        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(1, await fixture.CountAsync("unhandled_inbound where kind = 'message_reply'"));
    }

    [Fact]
    public async Task A_customer_who_denied_messages_is_noted_and_replies_are_refused_until_they_allow_them()
    {
        fixture.StubOk("messages.send", 1366);
        var (channelId, conversationId) = await fixture.OpenConversationAsync();

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostEventAsync(channelId, fixture.Sample("message_deny"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostEventAsync(channelId, fixture.Sample("message_deny"))).StatusCode);

        var refused = await fixture.PostReplyAsync(conversationId, "Добрый день!");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("denied messages from the VK community", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await fixture.CountAsync("messages where direction = 'outbound'"));
        // A private note is still fine.
        using (var http = fixture.App.Http(fixture.AdminToken))
        {
            var note = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "call her", @private = true });
            Assert.True(note.IsSuccessStatusCode, await note.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostEventAsync(channelId, fixture.Sample("message_allow"))).StatusCode);

        var messageId = await fixture.ReplyAsync(conversationId, "Добрый день!");
        Assert.Equal("sent", await fixture.StatusWhenSettledAsync(messageId));
        await using var db = fixture.Db();
        var notices = (await db.QueryAsync<string>(
            "select metadata->>'notice' from messages where direction = 'note' and sender_type = 'system' order by id")).ToList();
        Assert.Equal(["vk.denied", "vk.allowed"], notices);
    }

    [Fact]
    public async Task A_customer_who_writes_again_after_denying_can_be_answered()
    {
        fixture.StubOk("messages.send", 1367);
        var (channelId, conversationId) = await fixture.OpenConversationAsync();
        await fixture.PostEventAsync(channelId, fixture.Sample("message_deny"));
        Assert.Equal(HttpStatusCode.Conflict, (await fixture.PostReplyAsync(conversationId, "Hi")).StatusCode);
        var later = JsonNode.Parse(fixture.Sample("message_new_text"))!;
        later["object"]!["message"]!["id"] = 1390;
        // Unix seconds: a little ahead, so it is surely newer than the deny recorded with the server's clock.
        later["object"]!["message"]!["date"] = DateTimeOffset.UtcNow.AddSeconds(5).ToUnixTimeSeconds();

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostEventAsync(channelId, later.ToJsonString())).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await fixture.PostReplyAsync(conversationId, "Hi")).StatusCode);
    }

    [Fact]
    public async Task A_manager_who_is_not_a_member_of_the_channel_does_not_see_the_conversation()
    {
        var (channelId, conversationId) = await fixture.OpenConversationAsync();
        var outsider = await fixture.CreateUserAsync("outsider", "manager");
        var member = await fixture.CreateUserAsync("member", "manager", channelId);

        using (var http = fixture.App.Http(outsider.Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/conversations/{conversationId}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/conversations/{conversationId}/messages")).StatusCode);
            var list = await http.GetFromJsonAsync<JsonObject>("/api/conversations");
            Assert.Empty(list!["items"]!.AsArray());
            Assert.Equal(HttpStatusCode.NotFound, (await fixture.PostReplyAsync(conversationId, "Hi", token: outsider.Token)).StatusCode);
        }
        using (var http = fixture.App.Http(member.Token))
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/conversations/{conversationId}")).StatusCode);
        }
    }
}
