using System.Net;
using System.Net.Http.Json;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// What others see when a user leaves a channel or is deactivated (an outside review, session 29): a removed member's open
/// screens stayed as they were (no event at all), and a deactivated manager's conversations stayed assigned to them, hidden
/// from every colleague and missing from the supervisors' queue while the customer waited.
/// </summary>
public sealed class WorkHandoverTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_member_removed_from_or_added_to_a_channel_is_told_to_re_read_and_nobody_else_is()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var leaving = await fixture.CreateUserAsync("leaving", "manager", channel.Id);
        var staying = await fixture.CreateUserAsync("staying", "manager", channel.Id);
        var conversationId = (await fixture.IngestAsync(channel, "m-1", "cust-1", "Hello"))["conversationId"]!.GetValue<long>();
        await using var leavingHub = await fixture.ConnectHubAsync(leaving.Token);
        await using var stayingHub = await fixture.ConnectHubAsync(staying.Token);
        var leavingEvents = new HubRecorder(leavingHub);
        var stayingEvents = new HubRecorder(stayingHub);
        using var admin = fixture.App.Http(fixture.AdminToken);
        using var asLeaving = fixture.App.Http(leaving.Token);
        (await asLeaving.GetAsync($"/api/conversations/{conversationId}")).EnsureSuccessStatusCode();

        (await admin.DeleteAsync($"/api/channels/{channel.Id}/members/{leaving.Id}")).EnsureSuccessStatusCode();

        var resync = await leavingEvents.WaitForAsync("resync");
        Assert.Equal("membership", resync["reason"]!.GetValue<string>());
        await (await asLeaving.GetAsync($"/api/conversations/{conversationId}")).ProblemAsync(HttpStatusCode.NotFound);

        (await admin.PutAsJsonAsync($"/api/channels/{channel.Id}/members", new { userIds = new[] { leaving.Id, staying.Id } })).EnsureSuccessStatusCode();
        await HttpJson.EventuallyAsync(() => Task.FromResult(leavingEvents.Of("resync").Count() == 2), "a second resync to the member added back");
        (await asLeaving.GetAsync($"/api/conversations/{conversationId}")).EnsureSuccessStatusCode();

        // The colleague whose membership did not change is not told to re-read: a message after both changes reaches them,
        // and no resync came before it.
        await fixture.IngestAsync(channel, "m-2", "cust-1", "Marker");
        await stayingEvents.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "Marker");
        Assert.Empty(stayingEvents.Of("resync"));

        // Unknown channel or user: 404, not 204.
        await (await admin.DeleteAsync($"/api/channels/999999/members/{leaving.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync($"/api/channels/{channel.Id}/members/999999")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_colleague_who_saw_a_lead_through_an_unassigned_conversation_is_told_when_a_take_carries_it_away()
    {
        // The lead goes with the conversation to whoever takes it; the other members of the channel saw it through the
        // conversation and got nothing, so it stayed live and editable on their screens and every button failed.
        var channel = await fixture.CreateApiChannelAsync();
        var taker = await fixture.CreateUserAsync("taker", "manager", channel.Id);
        var other = await fixture.CreateUserAsync("other", "manager", channel.Id);
        var outsider = await fixture.CreateUserAsync("outsider", "manager");
        var conversationId = (await fixture.IngestAsync(channel, "t-1", "cust-t", "I want a sofa"))["conversationId"]!.GetValue<long>();
        using var asOther = fixture.App.Http(other.Token);
        var leadId = (await (await asOther.GetAsync($"/api/conversations/{conversationId}")).OkJsonAsync()).Id("leadId");
        (await asOther.GetAsync($"/api/leads/{leadId}")).EnsureSuccessStatusCode();
        await using var otherHub = await fixture.ConnectHubAsync(other.Token);
        await using var outsiderHub = await fixture.ConnectHubAsync(outsider.Token);
        var otherEvents = new HubRecorder(otherHub);
        var outsiderEvents = new HubRecorder(outsiderHub);

        using var asTaker = fixture.App.Http(taker.Token);
        (await asTaker.PostJsonAsync($"/api/conversations/{conversationId}/assign", new { userId = taker.Id })).EnsureSuccessStatusCode();

        var removed = await otherEvents.WaitForAsync("leadRemoved", l => l.Id() == leadId);
        Assert.Equal(taker.Id, removed["assignee"]!.Id());
        await (await asOther.GetAsync($"/api/leads/{leadId}")).ProblemAsync(HttpStatusCode.NotFound);
        // The outsider never saw it and hears nothing of it: a message on their own channel after the take is the marker.
        var own = await fixture.CreateApiChannelAsync(name: "Outsider's");
        using (var admin = fixture.App.Http(fixture.AdminToken))
        {
            (await admin.PostJsonAsync($"/api/channels/{own.Id}/members", new { userId = outsider.Id })).EnsureSuccessStatusCode();
        }
        await fixture.IngestAsync(own, "t-2", "cust-own", "Marker");
        await outsiderEvents.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "Marker");
        Assert.Empty(outsiderEvents.Of("leadRemoved"));
    }

    [Fact]
    public async Task A_lead_that_already_had_its_owner_is_also_removed_from_a_colleague_who_saw_it_only_through_the_conversation()
    {
        // The reviewer of the fix above: the lead was the taker's already (no change of owner), so nothing was sent and the
        // colleague's lead card stayed on screen after the take although it was no longer theirs to see.
        var channel = await fixture.CreateApiChannelAsync();
        var taker = await fixture.CreateUserAsync("owner-taker", "manager", channel.Id);
        var other = await fixture.CreateUserAsync("owner-other", "manager", channel.Id);
        var conversationId = (await fixture.IngestAsync(channel, "o-1", "cust-o", "Price?"))["conversationId"]!.GetValue<long>();
        using var admin = fixture.App.Http(fixture.AdminToken);
        var leadId = (await (await admin.GetAsync($"/api/conversations/{conversationId}")).OkJsonAsync()).Id("leadId");
        (await admin.PatchJsonAsync($"/api/leads/{leadId}", new { assigneeId = taker.Id })).EnsureSuccessStatusCode();
        using var asOther = fixture.App.Http(other.Token);
        (await asOther.GetAsync($"/api/leads/{leadId}")).EnsureSuccessStatusCode(); // through the unassigned conversation
        await using var otherHub = await fixture.ConnectHubAsync(other.Token);
        var otherEvents = new HubRecorder(otherHub);

        using var asTaker = fixture.App.Http(taker.Token);
        (await asTaker.PostJsonAsync($"/api/conversations/{conversationId}/assign", new { userId = taker.Id })).EnsureSuccessStatusCode();

        await otherEvents.WaitForAsync("leadRemoved", l => l.Id() == leadId);
        await (await asOther.GetAsync($"/api/leads/{leadId}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_reply_through_an_archived_channel_is_refused_when_written_and_a_private_note_is_not()
    {
        // It was accepted (202) and then failed in the outbox with "The channel is disabled" and a Retry that cannot work.
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("archived", "manager", channel.Id);
        var conversationId = (await fixture.IngestAsync(channel, "a-1", "cust-a", "Hello?"))["conversationId"]!.GetValue<long>();
        using var admin = fixture.App.Http(fixture.AdminToken);
        (await admin.PostJsonAsync($"/api/channels/{channel.Id}/archive", new { })).EnsureSuccessStatusCode();
        using var asManager = fixture.App.Http(manager.Token);
        var before = await fixture.CountAsync("messages where direction = 'outbound'");

        var refused = await asManager.PostJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "Answer" });

        var body = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.Conflict, body);
        Assert.Equal("channel-closed", System.Text.Json.Nodes.JsonNode.Parse(body)!["code"]!.GetValue<string>());
        Assert.Equal(before, await fixture.CountAsync("messages where direction = 'outbound'"));
        (await asManager.PostJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "Note for later", @private = true })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_deactivated_managers_open_conversations_go_back_to_the_queue_where_colleagues_see_them_live()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var leaver = await fixture.CreateUserAsync("leaver", "manager", channel.Id);
        var colleague = await fixture.CreateUserAsync("colleague", "manager", channel.Id);
        using var admin = fixture.App.Http(fixture.AdminToken);
        var open = (await fixture.IngestAsync(channel, "d-1", "cust-a", "Where is my order?"))["conversationId"]!.GetValue<long>();
        var snoozed = (await fixture.IngestAsync(channel, "d-2", "cust-b", "Call me tomorrow"))["conversationId"]!.GetValue<long>();
        var resolved = (await fixture.IngestAsync(channel, "d-3", "cust-c", "Thanks, all good"))["conversationId"]!.GetValue<long>();
        foreach (var id in new[] { open, snoozed, resolved })
        {
            (await admin.PostJsonAsync($"/api/conversations/{id}/assign", new { userId = leaver.Id })).EnsureSuccessStatusCode();
        }
        (await admin.PostJsonAsync($"/api/conversations/{snoozed}/snooze", new { until = DateTimeOffset.UtcNow.AddDays(1) })).EnsureSuccessStatusCode();
        (await admin.PostJsonAsync($"/api/conversations/{resolved}/status", new { status = "resolved" })).EnsureSuccessStatusCode();
        using var asColleague = fixture.App.Http(colleague.Token);
        await (await asColleague.GetAsync($"/api/conversations/{open}")).ProblemAsync(HttpStatusCode.NotFound);
        await using var hub = await fixture.ConnectHubAsync(colleague.Token);
        var events = new HubRecorder(hub);

        (await admin.PatchJsonAsync($"/api/users/{leaver.Id}", new { isActive = false })).EnsureSuccessStatusCode();

        await events.WaitForAsync("conversationUpdated", c => c["id"]!.GetValue<long>() == open && c["assignee"] is null);
        await events.WaitForAsync("conversationUpdated", c => c["id"]!.GetValue<long>() == snoozed && c["assignee"] is null);
        (await asColleague.GetAsync($"/api/conversations/{open}")).EnsureSuccessStatusCode();
        await using var db = fixture.Db();
        var assignees = (await db.QueryAsync<(long Id, long? Assignee, string Status)>(
            "select id, assignee_id, status from conversations where id = any(@ids) order by id", new { ids = new[] { open, snoozed, resolved } })).ToList();
        Assert.Equal([(open, null, "open"), (snoozed, null, "snoozed"), (resolved, leaver.Id, "resolved")], assignees);
        using var supervisor = fixture.App.Http((await fixture.CreateUserAsync("watcher", "supervisor")).Token);
        var queue = await (await supervisor.GetAsync("/api/stats/queue")).OkJsonAsync();
        Assert.Contains(open, queue["waiting"]!.AsArray().Select(w => w!.Id("conversationId")));
    }
}
