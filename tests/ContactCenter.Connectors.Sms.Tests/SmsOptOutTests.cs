using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Connectors.Sms.Tests;

[Collection(SmsCollection.Name)]
public sealed class SmsOptOutTests(SmsFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Stop_refuses_replies_with_409_and_nothing_reaches_Twilio_until_Start()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        fixture.Twilio.Created(channel, SmsFixture.NewSid("SM"));
        await fixture.TextAsync(channel, "What are your opening hours?");
        var conversationId = await fixture.ConversationIdAsync();
        await fixture.TextAsync(channel, "STOP");

        var refused = await fixture.ReplyAsync(conversationId, "We open at 9");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("opted out", problem["detail"]!.GetValue<string>());
        Assert.Equal(0, await fixture.CountAsync("messages where direction = 'outbound'"));
        Assert.Equal(0, await fixture.CountAsync("outbox where kind = 'send'"));
        // A private note is still fine: it never leaves.
        using (var http = fixture.App.Http(fixture.AdminToken))
        {
            var note = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "Customer opted out", @private = true });
            Assert.Equal(HttpStatusCode.Accepted, note.StatusCode);
        }

        await fixture.TextAsync(channel, "start");
        var allowed = await fixture.ReplyAsync(conversationId, "Welcome back! We open at 9");

        Assert.Equal(HttpStatusCode.Accepted, allowed.StatusCode);
        await fixture.EventuallyAsync<string>("select status from messages where direction = 'outbound'", s => s == "sent");
        var create = Assert.Single(fixture.Twilio.Creates(channel));
        Assert.Equal("Welcome back! We open at 9", create.Form()["Body"]);
    }

    [Theory]
    [InlineData("STOPALL", "YES")]
    [InlineData("Unsubscribe", "UNSTOP")]
    [InlineData("cancel", "Start")]
    [InlineData(" END ", "START")]
    [InlineData("Quit.", "yes")]
    [InlineData("СТОП", "Старт")] // Russian: Twilio does not honour these, the app does
    [InlineData("Стоп.", "ПОДПИСАТЬСЯ")]
    [InlineData("отписаться", "старт!")]
    public async Task Every_standard_opt_out_keyword_opts_out_and_every_opt_in_keyword_opts_back_in(string optOut, string optIn)
    {
        var channel = await fixture.CreateSmsChannelAsync();
        await fixture.TextAsync(channel, "Hello");
        var conversationId = await fixture.ConversationIdAsync();

        await fixture.TextAsync(channel, optOut);
        Assert.Equal(HttpStatusCode.Conflict, (await fixture.ReplyAsync(conversationId, "Hi")).StatusCode);

        await fixture.TextAsync(channel, optIn);
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.ReplyAsync(conversationId, "Hi again")).StatusCode);
    }

    [Fact]
    public async Task A_sentence_containing_stop_is_an_ordinary_message_and_HELP_is_recorded_without_opting_out()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        fixture.Twilio.Created(channel, SmsFixture.NewSid("SM"));
        await fixture.TextAsync(channel, "Please stop by the store tomorrow");
        await fixture.TextAsync(channel, "HELP");
        var conversationId = await fixture.ConversationIdAsync();

        Assert.Equal(HttpStatusCode.Accepted, (await fixture.ReplyAsync(conversationId, "Happy to help")).StatusCode);
        using var http = fixture.App.Http(fixture.AdminToken);
        var page = (await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages"))!;
        var help = page["items"]!.AsArray().Single(m => m!["text"]!.GetValue<string>() == "HELP")!;
        Assert.Equal("HELP", help["metadata"]!["smsKeyword"]!.GetValue<string>());
        Assert.Equal("help", help["metadata"]!["smsKeywordKind"]!.GetValue<string>());
        var sentence = page["items"]!.AsArray().Single(m => m!["text"]!.GetValue<string>().StartsWith("Please", StringComparison.Ordinal))!;
        Assert.Null(sentence["metadata"]!["smsKeyword"]);
        Assert.Equal(0, await fixture.CountAsync("sms_opt_outs"));
    }

    [Fact]
    public async Task A_redelivered_old_STOP_does_not_undo_a_newer_START()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        var stop = SmsFixture.IncomingFields(channel, SmsFixture.NewSid("SM"), "STOP");
        await fixture.PostIncomingAsync(channel, stop);
        await fixture.TextAsync(channel, "START");

        var redelivered = await fixture.PostIncomingAsync(channel, stop);

        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.ReplyAsync(await fixture.ConversationIdAsync(), "Still subscribed")).StatusCode);
        await using var db = fixture.Db();
        Assert.False(await db.ExecuteScalarAsync<bool>("select opted_out from sms_opt_outs"));
    }

    [Fact]
    public async Task A_reply_queued_before_the_STOP_arrived_is_never_sent()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        // Twilio is down when the reply is first tried, so it waits in the outbox for a retry.
        fixture.Twilio.Error(channel, 503, 20503, "Service Unavailable");
        await fixture.TextAsync(channel, "Can you call me?");
        var conversationId = await fixture.ConversationIdAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.ReplyAsync(conversationId, "Calling you in 5 minutes")).StatusCode);
        await fixture.EventuallyAsync<int>("select attempts from outbox where kind = 'send'", a => a >= 1);

        await fixture.TextAsync(channel, "STOP");
        var stoppedAt = DateTime.UtcNow;

        var error = await fixture.EventuallyAsync<string?>("select error from messages where direction = 'outbound' and status = 'failed'", e => e is not null);
        Assert.Contains("opted out", error);
        Assert.All(fixture.Twilio.Creates(channel), c => Assert.True(c.RequestMessage.DateTime <= stoppedAt));
        // The message is marked failed (and pushed) just before the worker records its outbox row: wait, do not race.
        Assert.Equal("failed", await fixture.EventuallyAsync<string?>("select state from outbox where kind = 'send'", s => s == "failed"));
    }

    [Fact]
    public async Task Twilio_refusing_a_send_with_21610_marks_the_number_opted_out()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        fixture.Twilio.Error(channel, 400, 21610, "Attempt to send to unsubscribed recipient");
        await fixture.TextAsync(channel, "Hi");
        var conversationId = await fixture.ConversationIdAsync();

        await fixture.ReplyAsync(conversationId, "Hello!");

        var error = await fixture.EventuallyAsync<string?>("select error from messages where direction = 'outbound' and status = 'failed'", e => e is not null);
        Assert.Contains("recipient opted out", error);
        Assert.Equal(HttpStatusCode.Conflict, (await fixture.ReplyAsync(conversationId, "Hello again")).StatusCode);
    }
}
