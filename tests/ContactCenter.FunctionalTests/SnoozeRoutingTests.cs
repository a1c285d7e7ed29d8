using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Routing;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// A snoozed conversation is set aside (issue #16): no SLA breach, no place in the supervisor's queue, no routing until it
/// wakes; and when the customer wakes it, open screens get the change and the system note live.
/// </summary>
public sealed class SnoozeRoutingTests(SnoozeFixture fixture) : IClassFixture<SnoozeFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private T Service<T>() where T : notnull => fixture.App.Services.GetRequiredService<T>();

    private async Task<AppFixture.ApiChannel> RoutedChannelAsync(string name)
    {
        var secret = "snr-" + Guid.NewGuid().ToString("N");
        var created = await fixture.CreateChannelAsync("api", name, new JsonObject
        {
            ["secret"] = secret, ["routing"] = new JsonObject { ["mode"] = "evenly" }, ["sla"] = new JsonObject { ["firstResponseSeconds"] = 60 },
        });
        return new AppFixture.ApiChannel(created.Id(), secret);
    }

    private async Task<(string Status, long? AssigneeId, bool Breached)> StateAsync(long id)
    {
        await using var db = fixture.Db();
        return await db.QuerySingleAsync<(string, long?, bool)>(
            "select status, assignee_id, sla_breached_at is not null from conversations where id = @id", new { id });
    }

    [Fact]
    public async Task A_snoozed_conversation_is_not_breached_queued_or_routed_until_it_wakes()
    {
        var channel = await RoutedChannelAsync("Snooze routing");
        var manager = await fixture.CreateUserAsync("snoozeroute", "manager", channel.Id);
        using var admin = fixture.App.Http(fixture.AdminToken);
        var sleeping = (await fixture.IngestAsync(channel, "snr-1", "sleepy", "hello")).Id("conversationId");
        (await admin.PostAsJsonAsync($"/api/conversations/{sleeping}/snooze", new { until = fixture.Clock.GetUtcNow().AddMinutes(30) })).EnsureSuccessStatusCode();
        fixture.Clock.Advance(TimeSpan.FromMinutes(5)); // past the 60 s first-response target

        await Service<SlaMonitor>().ScanAsync(CancellationToken.None);

        Assert.Equal(("snoozed", (long?)null, false), await StateAsync(sleeping));
        Assert.Equal(0, await fixture.CountAsync("notifications where kind = 'sla_breach'"));
        var queue = await (await admin.GetAsync("/api/stats/queue")).OkJsonAsync();
        Assert.DoesNotContain(queue["waiting"]!.AsArray(), w => w!.Id("conversationId") == sleeping);

        // The manager comes online; a conversation that is awake is routed to them, the snoozed one (older) is not.
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var awake = (await fixture.IngestAsync(channel, "snr-2", "awake", "hi")).Id("conversationId");
        await HttpJson.EventuallyAsync(async () =>
        {
            await Service<Router>().DrainChannelAsync(channel.Id, CancellationToken.None);
            return (await StateAsync(awake)).AssigneeId == manager.Id;
        }, "the awake conversation routed to the online manager");
        await Service<Router>().DrainChannelAsync(channel.Id, CancellationToken.None);
        Assert.Equal(("snoozed", (long?)null, false), await StateAsync(sleeping));

        // It wakes at its time: now it is offered like any waiting conversation (the manager's presence is renewed at the
        // new fake time by connecting again; the first connection's presence has expired on this clock).
        fixture.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(1, await Service<SnoozeService>().SweepAsync(CancellationToken.None));
        await using var again = await fixture.ConnectHubAsync(manager.Token);
        await HttpJson.EventuallyAsync(async () =>
        {
            await Service<Router>().DrainChannelAsync(channel.Id, CancellationToken.None);
            return await StateAsync(sleeping) is ("open", { } assignee, _) && assignee == manager.Id;
        }, "the woken conversation routed to the manager");
    }

    [Fact]
    public async Task The_customer_waking_a_snoozed_conversation_pushes_it_open_and_the_note_to_open_screens()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("snoozewatch", "manager", channel.Id);
        var id = (await fixture.IngestAsync(channel, "snw-1", "cust", "hello")).Id("conversationId");
        using var http = fixture.App.Http(manager.Token);
        (await http.PostAsJsonAsync($"/api/conversations/{id}/snooze", new { until = fixture.Clock.GetUtcNow().AddDays(1) })).EnsureSuccessStatusCode();
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var events = new HubRecorder(hub);

        await fixture.IngestAsync(channel, "snw-2", "cust", "still there?");

        var updated = await events.WaitForAsync("conversationUpdated", c => c.Id() == id && c["status"]!.GetValue<string>() == "open");
        Assert.Null(updated["snoozedUntil"]);
        var note = await events.WaitForAsync("messageCreated", m => m["direction"]!.GetValue<string>() == "note");
        Assert.Equal(id, note.Id("conversationId"));
        Assert.Equal("Snooze ended: the customer wrote.", note["text"]!.GetValue<string>());
    }
}
