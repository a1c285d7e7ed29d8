using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.Connectors.Sms.Tests;

[Collection(SmsCollection.Name)]
public sealed class SmsOutboundTests(SmsFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Row(long Id, string Status, string? ExternalId, string? Error);

    private async Task<(SmsFixture.SmsChannel Channel, long ConversationId)> ConversationAsync()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        await fixture.TextAsync(channel, "Do you deliver on Sundays?");
        return (channel, await fixture.ConversationIdAsync());
    }

    private Task<Row> OutboundAsync(Func<Row, bool> done) =>
        fixture.EventuallyAsync<Row>("select id, status, external_id, error from messages where direction = 'outbound' order by id desc limit 1",
            r => r is not null && done(r));

    [Fact]
    public async Task A_reply_is_created_at_Twilio_with_the_status_callback_url_and_becomes_sent()
    {
        var (channel, conversationId) = await ConversationAsync();
        var sid = SmsFixture.NewSid("SM");
        fixture.Twilio.Created(channel, sid);

        var reply = await fixture.ReplyAsync(conversationId, "Yes, from 10:00 to 16:00. Привет!");

        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        var sent = await OutboundAsync(r => r.Status == "sent");
        Assert.Equal(sid, sent.ExternalId);
        Assert.Null(sent.Error);
        var create = Assert.Single(fixture.Twilio.Creates(channel));
        var form = create.Form();
        Assert.Equal(SmsFixture.CustomerNumber, form["To"]);
        Assert.Equal("+14155550100", form["From"]);
        Assert.Equal("Yes, from 10:00 to 16:00. Привет!", form["Body"]);
        Assert.Equal($"https://cc.example.test/webhooks/twilio/{channel.Id}/status", form["StatusCallback"]);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{channel.AccountSid}:{channel.AuthToken}")),
            create.RequestMessage.Headers!["Authorization"].Single());
    }

    [Fact]
    public async Task Delivery_reports_give_the_manager_delivery_ticks_live()
    {
        var (channel, conversationId) = await ConversationAsync();
        var sid = SmsFixture.NewSid("SM");
        fixture.Twilio.Created(channel, sid);
        await using var hub = await fixture.ConnectHubAsync(fixture.AdminToken);
        var events = new HubRecorder(hub);

        await fixture.ReplyAsync(conversationId, "Your order is on its way");
        var sent = await OutboundAsync(r => r.Status == "sent");
        var report = await fixture.PostStatusAsync(channel, sid, "delivered");

        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        var update = await events.WaitForAsync("messageUpdated", m => m["status"]!.GetValue<string>() == "delivered");
        Assert.Equal(sent.Id, update["id"]!.GetValue<long>());
        Assert.Equal(sid, update["externalId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Status_callbacks_out_of_order_never_move_a_message_back()
    {
        var (channel, conversationId) = await ConversationAsync();
        var sid = SmsFixture.NewSid("SM");
        fixture.Twilio.Created(channel, sid);
        await fixture.ReplyAsync(conversationId, "Out of order");
        await OutboundAsync(r => r.Status == "sent");

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostStatusAsync(channel, sid, "delivered")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostStatusAsync(channel, sid, "sent")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostStatusAsync(channel, sid, "queued")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostStatusAsync(channel, sid, "sending")).StatusCode);

        await using var db = fixture.Db();
        Assert.Equal("delivered", await db.ExecuteScalarAsync<string>("select status from messages where external_id = @sid", new { sid }));
    }

    [Fact]
    public async Task Status_callbacks_in_order_move_sent_then_delivered()
    {
        var (channel, conversationId) = await ConversationAsync();
        var sid = SmsFixture.NewSid("SM");
        fixture.Twilio.Created(channel, sid);
        await fixture.ReplyAsync(conversationId, "In order");
        await OutboundAsync(r => r.Status == "sent");
        await using var db = fixture.Db();

        await fixture.PostStatusAsync(channel, sid, "queued");
        await fixture.PostStatusAsync(channel, sid, "sent");
        Assert.Equal("sent", await db.ExecuteScalarAsync<string>("select status from messages where external_id = @sid", new { sid }));
        await fixture.PostStatusAsync(channel, sid, "delivered");
        Assert.Equal("delivered", await db.ExecuteScalarAsync<string>("select status from messages where external_id = @sid", new { sid }));
    }

    [Theory]
    [InlineData("undelivered", "30003", "unreachable handset")]
    [InlineData("failed", "21610", "recipient opted out")]
    [InlineData("undelivered", "30007", "filtered by the carrier as spam")]
    [InlineData("undelivered", null, "gave no reason")]
    public async Task A_failure_report_shows_a_readable_reason_and_stays_failed(string status, string? errorCode, string reason)
    {
        var (channel, conversationId) = await ConversationAsync();
        var sid = SmsFixture.NewSid("SM");
        fixture.Twilio.Created(channel, sid);
        await fixture.ReplyAsync(conversationId, "Will this arrive?");
        await OutboundAsync(r => r.Status == "sent");

        await fixture.PostStatusAsync(channel, sid, status, errorCode);
        await fixture.PostStatusAsync(channel, sid, "delivered"); // late and contradictory: failed is final

        var row = await OutboundAsync(_ => true);
        Assert.Equal("failed", row.Status);
        Assert.Contains(reason, row.Error);
        if (errorCode is not null)
        {
            Assert.Contains(errorCode, row.Error);
        }
        using var http = fixture.App.Http(fixture.AdminToken);
        var page = (await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages"))!;
        Assert.Contains(reason, page["items"]![0]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failure_report_that_beats_the_create_calls_answer_is_kept_and_fails_the_message_once_the_send_records_it()
    {
        // Twilio may post `undelivered` before its answer to the create call reaches us (outside review, session 29): the
        // report was logged as for an unknown message and lost, and the reply stayed `sent` for good.
        var (channel, conversationId) = await ConversationAsync();
        var sid = SmsFixture.NewSid("SM");
        fixture.Twilio.Given(WireMock.RequestBuilders.Request.Create().WithPath(channel.MessagesPath).UsingPost())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                .WithBody(TwilioStub.CreatedJson(sid, channel.AccountSid)).WithDelay(TimeSpan.FromSeconds(4)));
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.ReplyAsync(conversationId, "Ваш заказ в пути")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostStatusAsync(channel, sid, "undelivered", "30003")).StatusCode);
        var early = await OutboundAsync(_ => true);
        Assert.Null(early.ExternalId); // the send has not recorded the id yet: the report came first
        Assert.NotEqual("failed", early.Status);

        var failed = await OutboundAsync(r => r.ExternalId == sid && r.Status == "failed");
        Assert.Contains("30003", failed.Error);
        Assert.Contains("unreachable handset", failed.Error);
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from early_delivery_statuses where external_id = @sid", new { sid }));
    }

    [Fact]
    public async Task A_report_for_an_unknown_message_is_answered_200_and_changes_nothing()
    {
        var (channel, _) = await ConversationAsync();

        var response = await fixture.PostStatusAsync(channel, SmsFixture.NewSid("SM"), "delivered");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from messages where status = 'delivered'"));
    }

    [Fact]
    public async Task Status_callbacks_are_signed_over_the_status_url_and_need_MessageSid_and_MessageStatus()
    {
        var (channel, conversationId) = await ConversationAsync();
        var sid = SmsFixture.NewSid("SM");
        fixture.Twilio.Created(channel, sid);
        await fixture.ReplyAsync(conversationId, "Signed reports only");
        await OutboundAsync(r => r.Status == "sent");
        var fields = new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "delivered", ["AccountSid"] = channel.AccountSid };

        var signedForMessagesUrl = await fixture.PostSignedAsync($"/webhooks/twilio/{channel.Id}/status", channel.MessagesUrl, channel.AuthToken, fields);
        var unsigned = await fixture.PostStatusAsync(channel, sid, "delivered", signature: "");
        var noStatus = await fixture.PostSignedAsync($"/webhooks/twilio/{channel.Id}/status", channel.StatusUrl, channel.AuthToken,
            new Dictionary<string, string> { ["MessageSid"] = sid });

        Assert.Equal(HttpStatusCode.Forbidden, signedForMessagesUrl.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noStatus.StatusCode);
        Assert.Equal("sent", (await OutboundAsync(_ => true)).Status);
    }

    [Fact]
    public async Task A_429_from_Twilio_is_retried_and_then_sent()
    {
        var (channel, conversationId) = await ConversationAsync();
        var sid = SmsFixture.NewSid("SM");
        fixture.Twilio.InTurn(channel,
            r => r.WithStatusCode(429).WithHeader("Content-Type", "application/json").WithBody(TwilioStub.ErrorJson(20429, 429, "Too Many Requests")),
            r => r.WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(TwilioStub.CreatedJson(sid, channel.AccountSid)));

        await fixture.ReplyAsync(conversationId, "Retried");

        var sent = await OutboundAsync(r => r.Status == "sent");
        Assert.Equal(sid, sent.ExternalId);
        Assert.Null(sent.Error);
        Assert.Equal(2, fixture.Twilio.Creates(channel).Count);
    }

    [Fact]
    public async Task A_5xx_even_without_Twilio_json_is_retried()
    {
        var (channel, conversationId) = await ConversationAsync();
        var sid = SmsFixture.NewSid("SM");
        fixture.Twilio.InTurn(channel,
            r => r.WithStatusCode(502).WithHeader("Content-Type", "text/html").WithBody("<html>Bad gateway</html>"),
            r => r.WithStatusCode(500).WithHeader("Content-Type", "application/json").WithBody(TwilioStub.ErrorJson(20500, 500, "Internal Server Error")),
            r => r.WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(TwilioStub.CreatedJson(sid, channel.AccountSid)));

        await fixture.ReplyAsync(conversationId, "Through a flaky proxy");

        var sent = await OutboundAsync(r => r.Status == "sent");
        Assert.Equal(sid, sent.ExternalId);
        Assert.Equal(3, fixture.Twilio.Creates(channel).Count);
    }

    [Fact]
    public async Task A_permanent_refusal_fails_the_message_with_a_readable_reason_and_is_not_retried()
    {
        var (channel, conversationId) = await ConversationAsync();
        fixture.Twilio.Error(channel, 400, 21211, "The 'To' number +14155550123 is not a valid phone number.");

        await fixture.ReplyAsync(conversationId, "Never arrives");

        var failed = await OutboundAsync(r => r.Status == "failed");
        Assert.Contains("invalid 'To' phone number", failed.Error);
        Assert.Contains("21211", failed.Error);
        await fixture.WorkerRoundsAsync<ContactCenter.Api.Outbound.OutboxWorker>(); // whole outbox rounds after the refusal: no retry
        Assert.Single(fixture.Twilio.Creates(channel));
    }
}
