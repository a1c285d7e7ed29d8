using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ContactCenter.Connectors.Vk.Tests;

public sealed class VkOutboundTests(VkFixture fixture) : IClassFixture<VkFixture>, IAsyncLifetime
{
    private const string ReplyText = "Добрый день, Анна! Доставка в Казань — 350 ₽, 2–3 дня 🚚";

    public Task InitializeAsync() => fixture.ResetVkAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>messages.send answers <paramref name="first"/> once, then the message id.</summary>
    private void StubSendAfter(IResponseBuilder first)
    {
        var scenario = "send-" + Guid.NewGuid().ToString("N");
        fixture.Vk.Given(Request.Create().WithPath(VkFixture.MethodPath("messages.send")).UsingPost())
            .InScenario(scenario).WillSetStateTo("second").AtPriority(5).RespondWith(first);
        fixture.Vk.Given(Request.Create().WithPath(VkFixture.MethodPath("messages.send")).UsingPost())
            .InScenario(scenario).WhenStateIs("second").AtPriority(1).RespondWith(VkFixture.JsonAnswer(new JsonObject { ["response"] = 1366 }));
    }

    private async Task<string?> ErrorAsync(long messageId)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<string?>("select error from messages where id = @messageId", new { messageId });
    }

    [Fact]
    public async Task A_managers_reply_goes_out_with_messages_send_and_keeps_vks_message_id()
    {
        fixture.StubOk("messages.send", 1366);
        var (_, conversationId) = await fixture.OpenConversationAsync();
        await using var hub = await fixture.ConnectHubAsync(fixture.AdminToken);
        var events = new HubRecorder(hub);

        var messageId = await fixture.ReplyAsync(conversationId, ReplyText);

        Assert.Equal("sent", await fixture.StatusWhenSettledAsync(messageId));
        await using var db = fixture.Db();
        Assert.Equal("743784474:1366", await db.ExecuteScalarAsync<string>("select external_id from messages where id = @messageId", new { messageId }));
        var form = VkFixture.Form(Assert.Single(fixture.Calls("messages.send")));
        Assert.Equal("743784474", form["peer_id"]);
        Assert.Equal(ReplyText, form["message"]);
        Assert.Equal(VkFixture.Token, form["access_token"]);
        Assert.Equal("5.199", form["v"]);
        Assert.True(long.Parse(form["random_id"], System.Globalization.CultureInfo.InvariantCulture) > int.MaxValue, "random_id uses the wide range VK asks for");
        Assert.False(form.ContainsKey("attachment"));
        await events.WaitForAsync("messageUpdated", m => m["id"]!.GetValue<long>() == messageId && m["status"]!.GetValue<string>() == "sent");
    }

    [Fact]
    public async Task Flood_control_9_is_retried_with_the_same_random_id_and_then_sent()
    {
        StubSendAfter(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(VkFixture.Error(9, "Flood control")));
        var (_, conversationId) = await fixture.OpenConversationAsync();

        var messageId = await fixture.ReplyAsync(conversationId, ReplyText);

        Assert.Equal("sent", await fixture.StatusWhenSettledAsync(messageId));
        var calls = fixture.Calls("messages.send").Select(VkFixture.Form).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(calls[0]["random_id"], calls[1]["random_id"]);
        Assert.Null(await ErrorAsync(messageId));
    }

    [Fact]
    public async Task A_send_that_vk_may_have_delivered_before_failing_is_retried_with_the_same_random_id()
    {
        // A gateway error after VK took the message: the retry must carry the same random_id, so VK drops the copy.
        StubSendAfter(Response.Create().WithStatusCode(504).WithBody("Gateway Timeout"));
        var (_, conversationId) = await fixture.OpenConversationAsync();

        var messageId = await fixture.ReplyAsync(conversationId, ReplyText);

        Assert.Equal("sent", await fixture.StatusWhenSettledAsync(messageId));
        var calls = fixture.Calls("messages.send").Select(VkFixture.Form).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(calls[0]["random_id"], calls[1]["random_id"]);
    }

    [Fact]
    public async Task Error_901_fails_with_a_readable_reason_and_notes_the_conversation_once()
    {
        fixture.StubError("messages.send", 901, "Can't send messages for users without permission");
        var (_, conversationId) = await fixture.OpenConversationAsync();

        var first = await fixture.ReplyAsync(conversationId, ReplyText);
        Assert.Equal("failed", await fixture.StatusWhenSettledAsync(first));
        var second = await fixture.ReplyAsync(conversationId, "Ещё раз");
        Assert.Equal("failed", await fixture.StatusWhenSettledAsync(second));

        Assert.Equal("VK: the customer has not allowed messages from the community (901: can't send messages for users without permission).", await ErrorAsync(first));
        Assert.Single(fixture.Calls("messages.send"), c => VkFixture.Form(c)["message"] == ReplyText);
        Assert.Equal(1, await fixture.CountAsync("messages where direction = 'note' and metadata->>'notice' = 'vk.denied'"));
    }

    [Fact]
    public async Task A_rejected_token_fails_with_a_readable_reason_without_retrying()
    {
        fixture.StubError("messages.send", 5, "User authorization failed: invalid access_token (4).");
        var (_, conversationId) = await fixture.OpenConversationAsync();

        var messageId = await fixture.ReplyAsync(conversationId, ReplyText);

        Assert.Equal("failed", await fixture.StatusWhenSettledAsync(messageId));
        Assert.StartsWith("VK rejected the community access token (5)", await ErrorAsync(messageId));
        Assert.Single(fixture.Calls("messages.send"));
    }

    [Fact]
    public async Task A_photo_and_a_document_are_uploaded_and_sent_as_attachments_of_one_message()
    {
        var upload = fixture.Vk.Urls[0];
        fixture.StubOk("photos.getMessagesUploadServer", new JsonObject { ["album_id"] = -64, ["upload_url"] = upload + "/upload/photo?act=do_add&mid=0", ["group_id"] = VkFixture.GroupId });
        fixture.Vk.Given(Request.Create().WithPath("/upload/photo").UsingPost())
            .RespondWith(VkFixture.JsonAnswer(new JsonObject { ["server"] = 850136, ["photo"] = "[{\"markers_restarted\":true,\"photo\":\"c0VkUp:w\"}]", ["hash"] = "9a7b5c3d" }));
        fixture.StubOk("photos.saveMessagesPhoto", new JsonArray(new JsonObject { ["id"] = 457239999, ["owner_id"] = -VkFixture.GroupId, ["access_key"] = "f00dcafe", ["album_id"] = -64 }));
        fixture.StubOk("docs.getMessagesUploadServer", new JsonObject { ["upload_url"] = upload + "/upload/doc?act=add_doc_new" });
        fixture.Vk.Given(Request.Create().WithPath("/upload/doc").UsingPost())
            .RespondWith(VkFixture.JsonAnswer(new JsonObject { ["file"] = "-218375120|0|-1|874331|3ee14eeae1|pdf|48213|price.pdf|1df3c446" }));
        fixture.StubOk("docs.save", new JsonObject { ["type"] = "doc", ["doc"] = new JsonObject { ["id"] = 671239001, ["owner_id"] = -VkFixture.GroupId, ["title"] = "price.pdf", ["ext"] = "pdf" } });
        fixture.StubOk("messages.send", 1366);
        var (_, conversationId) = await fixture.OpenConversationAsync();
        using var http = fixture.App.Http(fixture.AdminToken);
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        var photoId = await AppFixture.UploadIdAsync(http, conversationId, "box.png", png, "image/png");
        var docId = await AppFixture.UploadIdAsync(http, conversationId, "price.pdf", "%PDF-1.4 price"u8.ToArray(), "application/pdf");

        var messageId = await fixture.ReplyAsync(conversationId, "Фото и прайс во вложении", [photoId, docId]);

        Assert.Equal("sent", await fixture.StatusWhenSettledAsync(messageId));
        var send = VkFixture.Form(Assert.Single(fixture.Calls("messages.send")));
        Assert.Equal("photo-218375120_457239999_f00dcafe,doc-218375120_671239001", send["attachment"]);
        Assert.Equal("Фото и прайс во вложении", send["message"]);
        Assert.Equal("743784474", VkFixture.Form(Assert.Single(fixture.Calls("photos.getMessagesUploadServer")))["peer_id"]);
        var save = VkFixture.Form(Assert.Single(fixture.Calls("photos.saveMessagesPhoto")));
        Assert.Equal(("850136", "9a7b5c3d"), (save["server"], save["hash"]));
        Assert.Equal("doc", VkFixture.Form(Assert.Single(fixture.Calls("docs.getMessagesUploadServer")))["type"]);
        Assert.Equal("price.pdf", VkFixture.Form(Assert.Single(fixture.Calls("docs.save")))["title"]);
        var uploaded = fixture.Vk.LogEntries.Single(e => e.RequestMessage.Path == "/upload/photo");
        Assert.Contains("name=photo", uploaded.RequestMessage.Body ?? System.Text.Encoding.UTF8.GetString(uploaded.RequestMessage.BodyAsBytes ?? []), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_after_the_files_were_uploaded_does_not_upload_them_again()
    {
        var upload = fixture.Vk.Urls[0];
        fixture.StubOk("docs.getMessagesUploadServer", new JsonObject { ["upload_url"] = upload + "/upload/doc" });
        fixture.Vk.Given(Request.Create().WithPath("/upload/doc").UsingPost()).RespondWith(VkFixture.JsonAnswer(new JsonObject { ["file"] = "f|1" }));
        fixture.StubOk("docs.save", new JsonObject { ["type"] = "doc", ["doc"] = new JsonObject { ["id"] = 671239001, ["owner_id"] = -VkFixture.GroupId } });
        StubSendAfter(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(VkFixture.Error(10, "Internal server error")));
        var (_, conversationId) = await fixture.OpenConversationAsync();
        using var http = fixture.App.Http(fixture.AdminToken);
        var docId = await AppFixture.UploadIdAsync(http, conversationId, "price.pdf", "%PDF-1.4"u8.ToArray(), "application/pdf");

        var messageId = await fixture.ReplyAsync(conversationId, "", [docId]);

        Assert.Equal("sent", await fixture.StatusWhenSettledAsync(messageId));
        Assert.Equal(2, fixture.Calls("messages.send").Count());
        Assert.Single(fixture.Calls("docs.save"));
        Assert.All(fixture.Calls("messages.send"), c => Assert.Equal("doc-218375120_671239001", VkFixture.Form(c)["attachment"]));
    }
}
