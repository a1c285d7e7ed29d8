using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Connectors.WhatsApp.Tests;

[Collection(WhatsAppCollection.Name)]
public sealed class WhatsAppOptOutTests(WhatsAppFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("STOP")]
    [InlineData("стоп")]
    [InlineData("Отписаться!")]
    public async Task A_customer_who_wrote_an_opt_out_keyword_is_not_messaged_and_the_reply_is_refused(string keyword)
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();
        await fixture.TextAsync(channel, "Hi, how much is delivery?");
        await fixture.TextAsync(channel, keyword);
        var conversationId = await fixture.ConversationIdAsync();

        var reply = await fixture.ReplyAsync(conversationId, "Delivery is free");

        Assert.Equal(HttpStatusCode.Conflict, reply.StatusCode);
        var problem = (await reply.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("whatsapp-opted-out", problem["code"]!.GetValue<string>());
        Assert.Contains("opted out", problem["detail"]!.GetValue<string>());
        using var http = fixture.App.Http(fixture.AdminToken);
        Assert.True((await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/whatsapp"))!["optedOut"]!.GetValue<bool>());
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from messages where direction = 'outbound'"));
        Assert.Empty(fixture.Graph.Sends(channel));
    }

    [Fact]
    public async Task START_subscribes_again_and_replies_go_out()
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();
        await fixture.TextAsync(channel, "STOP");
        await fixture.TextAsync(channel, "START");
        var conversationId = await fixture.ConversationIdAsync();
        fixture.Graph.Sent(channel, WhatsAppFixture.NewWamid());

        var reply = await fixture.ReplyAsync(conversationId, "Welcome back");

        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        await fixture.EventuallyAsync<string>("select status from messages where direction = 'outbound'", s => s == "sent");
        Assert.Single(fixture.Graph.Sends(channel));
    }

    [Fact]
    public async Task A_reply_queued_before_the_STOP_arrived_is_not_sent()
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();
        await fixture.TextAsync(channel, "Hi");
        var conversationId = await fixture.ConversationIdAsync();
        await using var db = fixture.Db();
        // The customer writes STOP after a reply was queued (here: queued behind the guard's back), then the outbox runs it.
        fixture.Graph.Sent(channel, WhatsAppFixture.NewWamid());
        await fixture.TextAsync(channel, "STOP");
        await db.ExecuteAsync("""
            insert into messages (conversation_id, channel_id, direction, text, sender_type, status)
            select id, channel_id, 'outbound', 'Queued before the STOP', 'system', 'queued' from conversations where id = @conversationId
            """, new { conversationId });
        await db.ExecuteAsync("insert into outbox (kind, message_id) select 'send', max(id) from messages where direction = 'outbound'; select pg_notify('cc_outbox', '')");

        var failed = await fixture.EventuallyAsync<(string Status, string? Error)>(
            "select status, error from messages where direction = 'outbound'", r => r.Status == "failed");

        Assert.Contains("opted out", failed.Error);
        Assert.Empty(fixture.Graph.Sends(channel));
    }
}
