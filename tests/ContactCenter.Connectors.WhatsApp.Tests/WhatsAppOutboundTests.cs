using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Connectors.WhatsApp.Tests;

[Collection(WhatsAppCollection.Name)]
public sealed class WhatsAppOutboundTests(WhatsAppFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Row(long Id, string Status, string? ExternalId, string? Error);

    private async Task<(WhatsAppFixture.WaChannel Channel, long ConversationId, string InboundWamid)> ConversationAsync()
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();
        var wamid = await fixture.TextAsync(channel, "Do you deliver on Sundays?");
        return (channel, await fixture.ConversationIdAsync(), wamid);
    }

    private Task<Row> OutboundAsync(Func<Row, bool> done) =>
        fixture.EventuallyAsync<Row>("select id, status, external_id, error from messages where direction = 'outbound' order by id desc limit 1",
            r => r is not null && done(r));

    [Fact]
    public async Task A_reply_reaches_the_cloud_api_and_ends_sent_then_delivered_then_read()
    {
        var (channel, conversationId, _) = await ConversationAsync();
        var wamid = WhatsAppFixture.NewWamid();
        fixture.Graph.Sent(channel, wamid);

        var reply = await fixture.ReplyAsync(conversationId, "Yes, from 10:00 to 16:00. Привет!");

        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        var sent = await OutboundAsync(r => r.Status == "sent");
        Assert.Equal(wamid, sent.ExternalId);
        var request = Assert.Single(fixture.Graph.Sends(channel));
        Assert.Equal("Bearer " + channel.AccessToken, request.RequestMessage.Headers!["Authorization"].Single());
        var body = request.Json();
        Assert.Equal("whatsapp", body["messaging_product"]!.GetValue<string>());
        Assert.Equal(WhatsAppFixture.CustomerWaId, body["to"]!.GetValue<string>());
        Assert.Equal("text", body["type"]!.GetValue<string>());
        Assert.Equal("Yes, from 10:00 to 16:00. Привет!", body["text"]!["body"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await fixture.StatusAsync(channel, wamid, "delivered")).StatusCode);
        await OutboundAsync(r => r.Status == "delivered");
        Assert.Equal(HttpStatusCode.OK, (await fixture.StatusAsync(channel, wamid, "read")).StatusCode);
        await OutboundAsync(r => r.Status == "read");
        // A late "sent" never moves it back.
        Assert.Equal(HttpStatusCode.OK, (await fixture.StatusAsync(channel, wamid, "sent")).StatusCode);
        await using var db = fixture.Db();
        Assert.Equal("read", await db.ExecuteScalarAsync<string>("select status from messages where external_id = @wamid", new { wamid }));
    }

    [Fact]
    public async Task A_reply_to_a_customer_message_is_sent_in_its_context()
    {
        var (channel, conversationId, inboundWamid) = await ConversationAsync();
        fixture.Graph.Sent(channel, WhatsAppFixture.NewWamid());
        await using var db = fixture.Db();
        var inboundId = await db.ExecuteScalarAsync<long>("select id from messages where external_id = @inboundWamid", new { inboundWamid });
        using var http = fixture.App.Http(fixture.AdminToken);

        var reply = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "Yes we do", replyToMessageId = inboundId });

        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        await OutboundAsync(r => r.Status == "sent");
        Assert.Equal(inboundWamid, Assert.Single(fixture.Graph.Sends(channel)).Json()["context"]!["message_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_file_is_uploaded_to_the_media_endpoint_then_sent_by_id_with_the_text_as_caption()
    {
        var (channel, conversationId, _) = await ConversationAsync();
        var wamid = WhatsAppFixture.NewWamid();
        fixture.Graph.Sent(channel, wamid);
        fixture.Graph.Given(WireMock.RequestBuilders.Request.Create().WithPath($"{GraphStub.Version}/{channel.PhoneNumberId}/media").UsingPost())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"id":"4490709327384033"}"""));
        using var http = fixture.App.Http(fixture.AdminToken);
        var upload = await ContactCenter.FunctionalTests.Infrastructure.AppFixture.UploadIdAsync(http, conversationId, "price-list.pdf", "%PDF-1.4 prices"u8.ToArray(), "application/pdf");

        var reply = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "Our prices", attachmentIds = new[] { upload } });

        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        var sent = await OutboundAsync(r => r.Status == "sent");
        Assert.Equal(wamid, sent.ExternalId);
        var uploaded = Assert.Single(fixture.Graph.LogEntries, e => e.RequestMessage.Path.EndsWith("/media", StringComparison.Ordinal));
        Assert.Contains("price-list.pdf", uploaded.RequestMessage.Body);
        var body = Assert.Single(fixture.Graph.Sends(channel)).Json();
        Assert.Equal("document", body["type"]!.GetValue<string>());
        Assert.Equal("4490709327384033", body["document"]!["id"]!.GetValue<string>());
        Assert.Equal("Our prices", body["document"]!["caption"]!.GetValue<string>());
        Assert.Equal("price-list.pdf", body["document"]!["filename"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_provider_5xx_is_retried_and_the_reply_is_sent_once_it_recovers()
    {
        var (channel, conversationId, _) = await ConversationAsync();
        var wamid = WhatsAppFixture.NewWamid();
        fixture.Graph.MessagesInTurn(channel,
            r => r.WithStatusCode(503).WithHeader("Content-Type", "application/json").WithBody(GraphStub.ErrorJson(131000, "Something went wrong")),
            r => r.WithStatusCode(429).WithHeader("Retry-After", "1").WithHeader("Content-Type", "application/json").WithBody(GraphStub.ErrorJson(130429, "Rate limit hit")),
            r => r.WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(GraphStub.SentJson(wamid)));

        await fixture.ReplyAsync(conversationId, "Retried until it goes");

        var sent = await OutboundAsync(r => r.Status == "sent");
        Assert.Equal(wamid, sent.ExternalId);
        Assert.Null(sent.Error);
        Assert.Equal(3, fixture.Graph.Sends(channel).Count);
    }

    [Fact]
    public async Task A_provider_4xx_fails_the_reply_with_a_readable_reason_and_is_not_retried()
    {
        var (channel, conversationId, _) = await ConversationAsync();
        fixture.Graph.MessagesError(channel, 400, 131047, "Re-engagement message",
            "Message failed to send because more than 24 hours have passed since the customer last replied to this number.");

        await fixture.ReplyAsync(conversationId, "Too late?");

        var failed = await OutboundAsync(r => r.Status == "failed");
        Assert.Contains("re-engagement message", failed.Error);
        Assert.Contains("131047", failed.Error);
        Assert.Single(fixture.Graph.Sends(channel));
    }

    [Fact]
    public async Task A_failed_status_report_shows_the_error_title_and_code()
    {
        var (channel, conversationId, _) = await ConversationAsync();
        var wamid = WhatsAppFixture.NewWamid();
        fixture.Graph.Sent(channel, wamid);
        await fixture.ReplyAsync(conversationId, "Will this arrive?");
        await OutboundAsync(r => r.Status == "sent");

        var report = await fixture.PostWebhookAsync(channel, WhatsAppFixture.Sample("status_failed", channel, new Dictionary<string, string> { ["WAMID"] = wamid }));

        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        var failed = await OutboundAsync(r => r.Status == "failed");
        Assert.Contains("undeliverable", failed.Error);
        Assert.Contains("131026", failed.Error);
    }

    [Fact]
    public async Task A_status_for_a_message_this_channel_never_sent_is_acknowledged_and_changes_nothing()
    {
        var (channel, _, _) = await ConversationAsync();

        var report = await fixture.StatusAsync(channel, WhatsAppFixture.NewWamid(), "delivered");

        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from messages where direction = 'outbound'"));
    }
}
