using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Routing;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests;

/// <summary>Distribution per channel with real presence (hub connections) over real Redis and PostgreSQL.</summary>
public sealed partial class RoutingTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private readonly List<HubConnection> hubs = [];

    public Task InitializeAsync() => fixture.ResetAsync();

    public async Task DisposeAsync()
    {
        foreach (var hub in hubs)
        {
            await hub.DisposeAsync();
        }
    }

    private async Task<(AppFixture.ApiChannel Channel, long Id)> ChannelAsync(JsonObject routing, JsonObject? sla = null)
    {
        var secret = "routing-secret-" + Guid.NewGuid().ToString("N");
        var settings = new JsonObject { ["secret"] = secret, ["routing"] = routing };
        if (sla is not null)
        {
            settings["sla"] = sla;
        }
        var channel = await fixture.CreateChannelAsync("api", "Routed " + Guid.NewGuid().ToString("N")[..6], settings);
        var id = channel["id"]!.GetValue<long>();
        return (new AppFixture.ApiChannel(id, secret), id);
    }

    private async Task<HubRecorder> OnlineAsync(AppFixture.TestUser user)
    {
        var hub = await fixture.ConnectHubAsync(user.Token);
        hubs.Add(hub);
        return new HubRecorder(hub);
    }

    private async Task<long?> AssigneeAsync(long conversationId)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long?>("select assignee_id from conversations where id = @conversationId", new { conversationId });
    }

    /// <summary>Hub connects drain queues while the client already runs, so routing results are awaited, not raced.</summary>
    private async Task<long?> AssigneeSoonAsync(long conversationId, long? expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long? actual;
        while ((actual = await AssigneeAsync(conversationId)) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        return actual;
    }

    private async Task<long> NewConversationAsync(AppFixture.ApiChannel channel, string customer) =>
        (await fixture.IngestAsync(channel, "m-" + Guid.NewGuid().ToString("N"), customer, "hello"))["conversationId"]!.GetValue<long>();

    [Fact]
    public async Task Evenly_gives_each_new_conversation_to_the_online_manager_who_waited_longest()
    {
        var (channel, id) = await ChannelAsync(new JsonObject { ["mode"] = "evenly" });
        var m1 = await fixture.CreateUserAsync("even1", "manager", id);
        var m2 = await fixture.CreateUserAsync("even2", "manager", id);
        var offline = await fixture.CreateUserAsync("even3", "manager", id);
        await OnlineAsync(m1);
        await OnlineAsync(m2);

        var assignees = new List<long?>();
        for (var i = 0; i < 4; i++)
        {
            assignees.Add(await AssigneeAsync(await NewConversationAsync(channel, $"even-customer-{i}")));
        }

        Assert.All(assignees, a => Assert.NotNull(a));
        Assert.Equal(2, assignees.Count(a => a == m1.Id));
        Assert.Equal(2, assignees.Count(a => a == m2.Id));
        Assert.NotEqual(assignees[0], assignees[1]);
        Assert.DoesNotContain(offline.Id, assignees.OfType<long>());
    }

    [Fact]
    public async Task Strictly_follows_the_configured_order_round_robin()
    {
        var (channel, id) = await ChannelAsync(new JsonObject { ["mode"] = "strictly" });
        var a = await fixture.CreateUserAsync("strict-a", "manager", id);
        var b = await fixture.CreateUserAsync("strict-b", "manager", id);
        using (var http = fixture.App.Http(fixture.AdminToken))
        {
            // An order that is not a list of ids was saved and read as no order at all: a 400 naming it.
            foreach (var bad in new object[] { "b, a", new object[] { "boris", a.Id }, new object[] { -1 }, new object[] { 1.5 }, new object[] { 1e300 } })
            {
                var refused = await http.PatchAsJsonAsync($"/api/channels/{id}", new { settings = new { routing = new { mode = "strictly", order = bad } } });
                Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
                Assert.Contains("settings.routing.order", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            var patch = await http.PatchAsJsonAsync($"/api/channels/{id}", new { settings = new { routing = new { mode = "strictly", order = new[] { b.Id, a.Id } } } });
            patch.EnsureSuccessStatusCode();
        }
        await OnlineAsync(a);
        await OnlineAsync(b);

        var order = new List<long?>();
        for (var i = 0; i < 3; i++)
        {
            order.Add(await AssigneeAsync(await NewConversationAsync(channel, $"strict-{i}")));
        }

        Assert.Equal([b.Id, a.Id, b.Id], order);
    }

    [Fact]
    public async Task With_nobody_online_conversations_wait_and_are_assigned_oldest_first_when_a_manager_connects()
    {
        var (channel, id) = await ChannelAsync(new JsonObject { ["mode"] = "evenly", ["maxOpenPerManager"] = 2 });
        var manager = await fixture.CreateUserAsync("late", "manager", id);
        var first = await NewConversationAsync(channel, "waiting-1");
        var second = await NewConversationAsync(channel, "waiting-2");
        var third = await NewConversationAsync(channel, "waiting-3");
        Assert.Null(await AssigneeAsync(first));

        await OnlineAsync(manager);

        Assert.Equal(manager.Id, await AssigneeSoonAsync(first, manager.Id));
        Assert.Equal(manager.Id, await AssigneeSoonAsync(second, manager.Id));
        Assert.Null(await AssigneeAsync(third)); // the cap of 2 holds

        using var http = fixture.App.Http(manager.Token);
        (await http.PostAsJsonAsync($"/api/conversations/{first}/status", new { status = "resolved" })).EnsureSuccessStatusCode();

        Assert.Equal(manager.Id, await AssigneeAsync(third)); // the freed seat drained the queue
    }

    [Fact]
    public async Task A_manager_whose_tabs_all_closed_gets_the_queue_when_one_opens_again()
    {
        var (channel, id) = await ChannelAsync(new JsonObject { ["mode"] = "evenly" });
        var manager = await fixture.CreateUserAsync("tabs", "manager", id);
        var first = await fixture.ConnectHubAsync(manager.Token);
        var second = await fixture.ConnectHubAsync(manager.Token);
        hubs.AddRange([first, second]); // disposed again at the end, should the test fail midway
        var routed = await NewConversationAsync(channel, "while-two-tabs");
        Assert.Equal(manager.Id, await AssigneeAsync(routed));
        await first.DisposeAsync();
        Assert.Equal(manager.Id, await AssigneeAsync(await NewConversationAsync(channel, "one-tab-left"))); // still online
        await second.DisposeAsync();
        var presence = fixture.App.Services.GetRequiredService<PresenceTracker>();
        var deadline = DateTime.UtcNow.AddSeconds(10); // the server ends the connection after the client has gone
        while ((await presence.OnlineAsync([manager.Id])).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var waiting = await NewConversationAsync(channel, "nobody-online");
        Assert.Null(await AssigneeAsync(waiting));
        await OnlineAsync(manager); // the first tab on the node again: coming online drains the queue

        Assert.Equal(manager.Id, await AssigneeSoonAsync(waiting, manager.Id));
    }

    [Fact]
    public async Task An_away_manager_gets_nothing_until_back_online()
    {
        var (channel, id) = await ChannelAsync(new JsonObject { ["mode"] = "evenly" });
        var manager = await fixture.CreateUserAsync("coffee", "manager", id);
        await OnlineAsync(manager);
        using var http = fixture.App.Http(manager.Token);
        (await http.PostAsJsonAsync("/api/presence", new { status = "away" })).EnsureSuccessStatusCode();

        var conversation = await NewConversationAsync(channel, "while-away");
        Assert.Null(await AssigneeAsync(conversation));

        (await http.PostAsJsonAsync("/api/presence", new { status = "online" })).EnsureSuccessStatusCode();
        Assert.Equal(manager.Id, await AssigneeAsync(conversation));
    }

    [Fact]
    public async Task A_returning_customer_goes_back_to_their_previous_manager_on_another_channel()
    {
        var (channelA, a) = await ChannelAsync(new JsonObject { ["mode"] = "evenly" });
        var (channelB, b) = await ChannelAsync(new JsonObject { ["mode"] = "evenly" });
        var m1 = await fixture.CreateUserAsync("sticky1", "manager", a, b);
        var m2 = await fixture.CreateUserAsync("sticky2", "manager", a, b);
        await OnlineAsync(m1);
        await OnlineAsync(m2);
        var first = (await (await fixture.PostInboundAsync(channelA, AppFixture.InboundBody("s-1", "crm-9", "hi", "Loyal", "loyal@example.com")))
            .Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!.GetValue<long>();
        var owner = (await AssigneeAsync(first))!.Value;
        // The next evenly slot belongs to the other manager now; stickiness must win over it.
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("update users set last_assigned_at = now() + interval '1 minute' where id = @owner", new { owner });
        }

        var response = await fixture.PostInboundAsync(channelB, AppFixture.InboundBody("s-2", "shop-9", "me again", "Loyal", "loyal@example.com"));
        var second = (await response.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!.GetValue<long>();

        Assert.NotEqual(first, second);
        Assert.Equal(1, await fixture.CountAsync("contacts"));
        Assert.Equal(owner, await AssigneeAsync(second));
        var other = await NewConversationAsync(channelB, "stranger");
        Assert.NotEqual(owner, await AssigneeAsync(other));
    }

    [Fact]
    public async Task An_unanswered_conversation_is_passed_to_the_next_manager()
    {
        var (channel, id) = await ChannelAsync(new JsonObject { ["mode"] = "evenly", ["passAfterSeconds"] = 1 });
        var m1 = await fixture.CreateUserAsync("pass1", "manager", id);
        var m2 = await fixture.CreateUserAsync("pass2", "manager", id);
        await OnlineAsync(m1);
        await OnlineAsync(m2);

        var conversation = await NewConversationAsync(channel, "impatient");
        var first = await AssigneeAsync(conversation);
        Assert.NotNull(first);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        long? now;
        do
        {
            await Task.Delay(200);
            now = await AssigneeAsync(conversation);
        }
        while (now == first && DateTime.UtcNow < deadline);
        Assert.NotNull(now);
        Assert.NotEqual(first, now);
    }

    [Fact]
    public async Task An_answered_conversation_is_not_passed()
    {
        // The reply has to land before the pass is due; a 1 s window was lost under a loaded CI run.
        var (channel, id) = await ChannelAsync(new JsonObject { ["mode"] = "evenly", ["passAfterSeconds"] = 4 });
        var m1 = await fixture.CreateUserAsync("keep1", "manager", id);
        var m2 = await fixture.CreateUserAsync("keep2", "manager", id);
        await OnlineAsync(m1);
        await OnlineAsync(m2);
        var conversation = await NewConversationAsync(channel, "answered");
        var owner = (await AssigneeAsync(conversation))!.Value;
        using var http = fixture.App.Http(owner == m1.Id ? m1.Token : m2.Token);
        (await http.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = "Hi! Looking into it." })).EnsureSuccessStatusCode();

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await fixture.CountAsync("outbox where kind = 'route:pass' and state = 'done'") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(1, await fixture.CountAsync("outbox where kind = 'route:pass' and state = 'done'"));
        Assert.Equal(owner, await AssigneeAsync(conversation));
    }

    [Fact]
    public async Task A_breached_first_response_target_is_pushed_to_supervisors_once_and_the_queue_live()
    {
        var (channel, _) = await ChannelAsync(new JsonObject { ["mode"] = "manual" }, new JsonObject { ["firstResponseSeconds"] = 1 });
        var supervisor = await fixture.CreateUserAsync("watcher", "supervisor");
        var events = await OnlineAsync(supervisor);

        var conversation = await NewConversationAsync(channel, "slow-service");

        var queue = await events.WaitForAsync("queueChanged", q => q["waiting"]!.AsArray().Any(w => w!["conversationId"]!.GetValue<long>() == conversation));
        Assert.True(queue["longestWaitSeconds"]!.GetValue<long>() >= 0);
        var breach = await events.WaitForAsync("slaBreached", b => b["conversationId"]!.GetValue<long>() == conversation);
        Assert.Equal("first_response", breach["kind"]!.GetValue<string>());
        Assert.True(breach["waitingSeconds"]!.GetValue<long>() >= 1);
        await fixture.WorkerRoundsAsync<SlaMonitor>(count: 3, hubs: hubs.Single()); // two whole scans after the breach, and their pushes
        Assert.Single(events.Of("slaBreached"), b => b["conversationId"]!.GetValue<long>() == conversation);
    }
}
