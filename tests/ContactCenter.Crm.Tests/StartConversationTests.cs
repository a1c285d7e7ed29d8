using System.Net;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Crm.Tests;

/// <summary>`POST /api/conversations` (issue #17): a seller writes first on a channel that can reach the contact.</summary>
[Collection(CrmCollection.Name)]
public sealed class StartConversationTests(CrmFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetCrmAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_manager_starts_a_conversation_that_is_theirs_and_its_message_is_queued()
    {
        var first = await fixture.CreateApiChannelAsync(name: "First");
        var second = await fixture.CreateApiChannelAsync(name: "Second");
        var manager = await fixture.CreateUserAsync("cards-o1", "manager", first.Id, second.Id);
        using var http = fixture.App.Http(manager.Token);
        var existing = (await fixture.IngestAsync(first, "start-1", "start-cust", "hello", "Starter"))["conversationId"]!.GetValue<long>();
        using var admin = fixture.Admin();
        var contactId = (await (await admin.GetAsync($"/api/conversations/{existing}")).OkJsonAsync())["contact"]!.Id();
        var deal = await (await http.PostJsonAsync("/api/deals", new { title = "Upsell", contactId })).OkJsonAsync(HttpStatusCode.Created);

        var started = await (await http.PostJsonAsync("/api/conversations", new { contactId, channelId = second.Id, text = "Hello from sales", dealId = deal.Id() }))
            .OkJsonAsync(HttpStatusCode.Created);
        Assert.NotEqual(existing, started.Id());
        Assert.Equal(manager.Id, started["assignee"]!.Id());
        await using var db = fixture.Db();
        var row = await db.QuerySingleAsync<(long ChannelId, long? DealId, long Outbound)>("""
            select c.channel_id, c.deal_id, (select count(*) from messages m where m.conversation_id = c.id and m.direction = 'outbound') from conversations c where c.id = @id
            """, new { id = started.Id() });
        Assert.Equal((second.Id, deal.Id(), 1L), row);

        // The same contact and channel again: the conversation is reused (200), not doubled.
        var again = await (await http.PostJsonAsync("/api/conversations", new { contactId, channelId = second.Id, text = "Following up" })).OkJsonAsync();
        Assert.Equal(started.Id(), again.Id());
    }

    [Fact]
    public async Task A_channel_that_cannot_reach_the_contact_or_bad_input_changes_nothing()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var elsewhere = await fixture.CreateApiChannelAsync(name: "Elsewhere");
        var m1 = await fixture.CreateUserAsync("cards-o2", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("cards-o3", "manager", channel.Id);
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        // A contact typed in with an email only: the api channel knows no external id of theirs.
        var lead = await (await http1.PostJsonAsync("/api/leads", new { contact = new { name = "Card", email = "card@example.com" } })).OkJsonAsync(HttpStatusCode.Created);
        var contactId = lead["contact"]!.Id();
        var before = await CountsAsync();

        var noChat = await (await http1.PostJsonAsync("/api/conversations", new { contactId, channelId = channel.Id, text = "Hi" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("never written", noChat);
        await (await http1.PostJsonAsync("/api/conversations", new { contactId, channelId = elsewhere.Id, text = "Hi" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await http2.PostJsonAsync("/api/conversations", new { contactId, channelId = channel.Id, text = "Hi" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await http1.PostJsonAsync("/api/conversations", new { contactId = 9_999_999, channelId = channel.Id, text = "Hi" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await http1.PostJsonAsync("/api/conversations", new { contactId, channelId = 9_999_999, text = "Hi" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await http1.PostJsonAsync("/api/conversations", new { contactId, channelId = channel.Id, text = "" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http1.PostJsonAsync("/api/conversations", new { contactId, channelId = channel.Id, text = "Hi\0there" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http1.PostJsonAsync("/api/conversations", new { channelId = channel.Id, text = "Hi" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http1.PostJsonAsync("/api/conversations", new { contactId, channelId = channel.Id, text = new string('x', 20_001) })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http1.PostJsonAsync("/api/conversations", new { contactId, channelId = channel.Id, text = "Hi", dealId = 9_999_999 })).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_resolved_conversation_is_reopened_and_linked_only_when_the_first_message_is_accepted()
    {
        var channel = await fixture.CreateApiChannelAsync(name: "Reuse");
        var manager = await fixture.CreateUserAsync("cards-o4", "manager", channel.Id);
        using var http = fixture.App.Http(manager.Token);
        var existing = (await fixture.IngestAsync(channel, "reuse-1", "reuse-cust", "hello", "Returning"))["conversationId"]!.GetValue<long>();
        using var admin = fixture.Admin();
        await SucceedsAsync(await admin.PostJsonAsync($"/api/conversations/{existing}/assign", new { userId = manager.Id }));
        await SucceedsAsync(await http.PostJsonAsync($"/api/conversations/{existing}/status", new { status = "resolved" }));
        var contactId = (await (await admin.GetAsync($"/api/conversations/{existing}")).OkJsonAsync())["contact"]!.Id();
        var deal = await (await http.PostJsonAsync("/api/deals", new { title = "Second order", contactId })).OkJsonAsync(HttpStatusCode.Created);
        // A guard that refuses this conversation's replies while `refuse` holds, as an opted-out SMS number would.
        var refuse = true;
        fixture.Guard.Refuse = id => refuse && id == existing ? "The customer opted out." : null;
        try
        {
            var refused = await (await http.PostJsonAsync("/api/conversations", new { contactId, channelId = channel.Id, text = "Back again?", dealId = deal.Id() }))
                .ProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains("opted out", refused);
            Assert.Equal(("resolved", (long?)null, 0L), await StateAsync(existing));

            refuse = false;
            var accepted = await (await http.PostJsonAsync("/api/conversations", new { contactId, channelId = channel.Id, text = "Back again?", dealId = deal.Id() })).OkJsonAsync();
            Assert.Equal(existing, accepted.Id());
            Assert.Equal("open", accepted["status"]!.GetValue<string>());
            Assert.Equal(("open", (long?)deal.Id(), 1L), await StateAsync(existing));
            await using var db = fixture.Db();
            Assert.Null(await db.ExecuteScalarAsync<DateTime?>("select resolved_at from conversations where id = @existing", new { existing }));
        }
        finally
        {
            fixture.Guard.Refuse = _ => null;
        }
    }

    private static async Task SucceedsAsync(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

    private async Task<(string Status, long? DealId, long Outbound)> StateAsync(long id)
    {
        await using var db = fixture.Db();
        return await db.QuerySingleAsync<(string, long?, long)>("""
            select c.status, c.deal_id, (select count(*) from messages m where m.conversation_id = c.id and m.direction = 'outbound') from conversations c where c.id = @id
            """, new { id });
    }

    private async Task<(long Conversations, long Messages, long Identities)> CountsAsync()
    {
        await using var db = fixture.Db();
        return await db.QuerySingleAsync<(long, long, long)>(
            "select (select count(*) from conversations), (select count(*) from messages), (select count(*) from contact_identities)");
    }
}
