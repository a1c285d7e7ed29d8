using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ContactCenter.Connectors.Telegram.Tests;

public sealed class TelegramOutboundTests(TelegramFixture fixture) : IClassFixture<TelegramFixture>, IAsyncLifetime
{
    private const string ReplyText = "Добрый день, Анна! Доставка в Казань — 350 ₽, 2–3 дня 🚚";

    public Task InitializeAsync() => fixture.ResetTelegramAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<long> ConversationAsync() => fixture.OpenConversationAsync();

    private Task<long> ReplyAsync(long conversationId, string text = ReplyText, long? replyToMessageId = null) =>
        fixture.ReplyAsync(conversationId, text, replyToMessageId);

    private Task<string?> StatusWhenSettledAsync(long messageId) => fixture.StatusWhenSettledAsync(messageId);

    private static JsonObject Body(WireMock.Logging.ILogEntry call) => JsonNode.Parse(call.RequestMessage.Body!)!.AsObject();

    private void StubSendMessage(int messageId) =>
        fixture.StubOk("sendMessage", TelegramFixture.SentMessage(5551234567, messageId, ReplyText));

    [Fact]
    public async Task A_managers_reply_goes_out_with_sendMessage_and_keeps_telegrams_message_id()
    {
        StubSendMessage(1366);
        var conversationId = await ConversationAsync();
        await using var hub = await fixture.ConnectHubAsync(fixture.AdminToken);
        var events = new HubRecorder(hub);

        var messageId = await ReplyAsync(conversationId);

        Assert.Equal("sent", await StatusWhenSettledAsync(messageId));
        await using var db = fixture.Db();
        Assert.Equal("5551234567:1366", await db.ExecuteScalarAsync<string>("select external_id from messages where id = @messageId", new { messageId }));
        var body = Body(Assert.Single(fixture.Calls("sendMessage")));
        Assert.Equal(5551234567, body["chat_id"]!.GetValue<long>());
        Assert.Equal(ReplyText, body["text"]!.GetValue<string>());
        Assert.Null(body["reply_parameters"]);
        await events.WaitForAsync("messageUpdated", m => m["id"]!.GetValue<long>() == messageId && m["status"]!.GetValue<string>() == "sent");
    }

    [Fact]
    public async Task A_reply_to_a_customers_message_is_sent_as_a_telegram_reply()
    {
        StubSendMessage(1366);
        var conversationId = await ConversationAsync();

        long customersMessageId;
        await using (var db = fixture.Db())
        {
            customersMessageId = await db.ExecuteScalarAsync<long>("select id from messages where external_id = '5551234567:1365'");
        }

        var messageId = await ReplyAsync(conversationId, replyToMessageId: customersMessageId);

        Assert.Equal("sent", await StatusWhenSettledAsync(messageId));
        var body = Body(Assert.Single(fixture.Calls("sendMessage")));
        Assert.Equal(1365, body["reply_parameters"]!["message_id"]!.GetValue<int>());
        Assert.True(body["reply_parameters"]!["allow_sending_without_reply"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_429_is_retried_after_retry_after_and_then_sent()
    {
        var scenario = "rate-" + Guid.NewGuid().ToString("N");
        fixture.Bot.Given(Request.Create().WithPath(fixture.MethodPath("sendMessage")).UsingPost())
            .InScenario(scenario).WillSetStateTo("limited").AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Content-Type", "application/json")
                .WithBody(TelegramFixture.Error(429, "Too Many Requests: retry after 1", retryAfter: 1)));
        fixture.Bot.Given(Request.Create().WithPath(fixture.MethodPath("sendMessage")).UsingPost())
            .InScenario(scenario).WhenStateIs("limited").AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(new JsonObject { ["ok"] = true, ["result"] = TelegramFixture.SentMessage(5551234567, 1366, ReplyText) }.ToJsonString()));
        var conversationId = await ConversationAsync();

        var messageId = await ReplyAsync(conversationId);

        Assert.Equal("sent", await StatusWhenSettledAsync(messageId));
        var calls = fixture.Calls("sendMessage").ToList();
        Assert.Equal(2, calls.Count);
        // The outbox's own backoff here is 0.2 s: the second try waited for Telegram's retry_after of 1 s.
        Assert.True(calls[1].RequestMessage.DateTime - calls[0].RequestMessage.DateTime >= TimeSpan.FromMilliseconds(900),
            $"retried after {(calls[1].RequestMessage.DateTime - calls[0].RequestMessage.DateTime).TotalMilliseconds} ms");
        await using var db = fixture.Db();
        Assert.Null(await db.ExecuteScalarAsync<string?>("select error from messages where id = @messageId", new { messageId }));
    }

    [Fact]
    public async Task A_server_error_is_retried_with_backoff()
    {
        var scenario = "down-" + Guid.NewGuid().ToString("N");
        fixture.Bot.Given(Request.Create().WithPath(fixture.MethodPath("sendMessage")).UsingPost())
            .InScenario(scenario).WillSetStateTo("recovered").AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(502).WithHeader("Content-Type", "application/json")
                .WithBody(TelegramFixture.Error(502, "Bad Gateway")));
        fixture.Bot.Given(Request.Create().WithPath(fixture.MethodPath("sendMessage")).UsingPost())
            .InScenario(scenario).WhenStateIs("recovered").AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(new JsonObject { ["ok"] = true, ["result"] = TelegramFixture.SentMessage(5551234567, 1366, ReplyText) }.ToJsonString()));
        var conversationId = await ConversationAsync();

        var messageId = await ReplyAsync(conversationId);

        Assert.Equal("sent", await StatusWhenSettledAsync(messageId));
        Assert.Equal(2, fixture.Calls("sendMessage").Count());
    }

    [Fact]
    public async Task A_bot_blocked_by_the_user_fails_in_plain_words_and_marks_the_conversation_once_until_the_customer_writes_again()
    {
        fixture.StubError("sendMessage", 403, "Forbidden: bot was blocked by the user");
        var conversationId = await ConversationAsync();
        await using var hub = await fixture.ConnectHubAsync(fixture.AdminToken);
        var events = new HubRecorder(hub);

        var messageId = await ReplyAsync(conversationId);

        Assert.Equal("failed", await StatusWhenSettledAsync(messageId));
        string? error;
        await using (var db = fixture.Db())
        {
            error = await db.ExecuteScalarAsync<string>("select error from messages where id = @messageId", new { messageId });
        }
        Assert.Equal("The customer blocked the bot, so Telegram does not deliver messages to them.", error);
        Assert.Single(fixture.Calls("sendMessage")); // not retried
        var failed = await events.WaitForAsync("messageUpdated", m => m["id"]!.GetValue<long>() == messageId && m["status"]!.GetValue<string>() == "failed");
        Assert.Equal(error, failed["error"]!.GetValue<string>());

        // The note is in the conversation's history, from System, marked for clients, and was pushed live.
        var note = Assert.Single(await BlockedNotesAsync(conversationId));
        Assert.Equal("note", note["direction"]!.GetValue<string>());
        Assert.Equal("system", note["sender"]!["type"]!.GetValue<string>());
        Assert.Equal("The customer blocked the bot: replies cannot be delivered until they unblock it and write again.", note["text"]!.GetValue<string>());
        var pushed = await events.WaitForAsync("messageCreated", m => m["id"]!.GetValue<long>() == note["id"]!.GetValue<long>());
        Assert.Equal(TelegramChannelSender.BlockedNotice, pushed["metadata"]!["notice"]!.GetValue<string>());

        // More failed replies in the same episode add no more notes.
        Assert.Equal("failed", await StatusWhenSettledAsync(await ReplyAsync(conversationId, "Анна, вы здесь?")));
        Assert.Equal("failed", await StatusWhenSettledAsync(await ReplyAsync(conversationId, "Последняя попытка 🙏")));
        Assert.Single(await BlockedNotesAsync(conversationId));

        // The customer unblocks the bot and writes; when the bot is blocked again, the conversation says so again.
        var again = JsonNode.Parse(TelegramFixture.Sample("text"))!.AsObject();
        again["update_id"] = 815200199;
        again["message"]!["message_id"] = 1400;
        again["message"]!["text"] = "Я снова здесь 👋";
        await using (var db = fixture.Db())
        {
            var channelId = await db.ExecuteScalarAsync<long>("select channel_id from conversations where id = @conversationId", new { conversationId });
            Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, again.ToJsonString())).StatusCode);
        }
        Assert.Equal("failed", await StatusWhenSettledAsync(await ReplyAsync(conversationId)));
        Assert.Equal(2, (await BlockedNotesAsync(conversationId)).Count);
        Assert.Equal(4, fixture.Calls("sendMessage").Count());
    }

    private async Task<List<JsonObject>> BlockedNotesAsync(long conversationId)
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var page = await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages");
        return page!["items"]!.AsArray().Select(m => m!.AsObject())
            .Where(m => m["metadata"]?["notice"]?.GetValue<string>() == TelegramChannelSender.BlockedNotice).ToList();
    }

    [Fact]
    public async Task A_text_longer_than_telegrams_limit_goes_as_several_messages()
    {
        StubSendMessage(1366);
        var conversationId = await ConversationAsync();
        var text = string.Concat(Enumerable.Repeat("Очень длинный ответ 📦 ", 400)); // 8800 chars

        var messageId = await ReplyAsync(conversationId, text);

        Assert.Equal("sent", await StatusWhenSettledAsync(messageId));
        var parts = fixture.Calls("sendMessage").Select(c => Body(c)["text"]!.GetValue<string>()).ToList();
        Assert.Equal(3, parts.Count);
        Assert.All(parts, p => Assert.True(p.Length <= 4096));
        Assert.Equal(text, string.Concat(parts));
    }
}
