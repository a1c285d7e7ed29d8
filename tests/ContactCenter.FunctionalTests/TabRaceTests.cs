using System.Text.Json.Nodes;
using ContactCenter.Api.Auth;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests;

/// <summary>No Hangfire server: the minute's drain job cannot stand in for a connect's own drain during a test.</summary>
public sealed class TabRaceFixture : AppFixture
{
    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["Jobs:Server"] = "false";
        return settings;
    }
}

/// <summary>A user's tabs connecting at once, one of them failing mid-connect (session 35: only the first tab on a node comes online).</summary>
public sealed class TabRaceTests(TabRaceFixture fixture) : IClassFixture<TabRaceFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_tab_that_connects_while_the_users_first_tab_fails_mid_connect_still_comes_online()
    {
        var secret = "race-secret-" + Guid.NewGuid().ToString("N");
        var created = await fixture.CreateChannelAsync("api", "Race " + Guid.NewGuid().ToString("N")[..6],
            new JsonObject { ["secret"] = secret, ["routing"] = new JsonObject { ["mode"] = "evenly" } });
        var channelId = created["id"]!.GetValue<long>();
        var channel = new AppFixture.ApiChannel(channelId, secret);
        var manager = await fixture.CreateUserAsync("race-m", "manager", channelId);
        var supervisor = await fixture.CreateUserAsync("race-s", "supervisor");
        await using var supervisorHub = await fixture.ConnectHubAsync(supervisor.Token);
        var live = new HubRecorder(supervisorHub);
        bool Online(JsonObject q) => q["online"]!.AsArray().Any(u => u!["userId"]!.GetValue<long>() == manager.Id);
        var waiting = (await fixture.IngestAsync(channel, "m-" + Guid.NewGuid().ToString("N"), "race-customer", "hello"))["conversationId"]!.GetValue<long>();
        // The pushes so far (the supervisor's own connect, the new conversation's) have gone out: only later ones count.
        await live.WaitForAsync("queueChanged", q => q["waiting"]!.AsArray().Any(w => w!["conversationId"]!.GetValue<long>() == waiting));
        await Task.Delay(500);
        var pushedBefore = live.Of("queueChanged").Count();

        // Routing's per-channel lock is held here, so the first tab's drain waits in it.
        await using var holder = fixture.Db();
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync("select pg_advisory_xact_lock(7001, @id::int)", new { id = (int)channelId }, tx);

        var sessions = fixture.App.Services.GetRequiredService<HubSessions>();
        var firstTab = new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.App.BaseAddress, "/hubs/inbox"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(manager.Token))
            .Build();
        await firstTab.StartAsync(); // the handshake is answered before OnConnectedAsync runs
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await holder.ExecuteScalarAsync<long>(
                   "select count(*) from pg_locks where locktype = 'advisory' and classid = 7001 and objid = @id and not granted",
                   new { id = (long)channelId }, tx) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        var firstContext = Assert.Single(sessions.Snapshot(), s => s.UserId == manager.Id).Context;

        // A second tab connects meanwhile (before session 35 its own connect drained as well, waiting for the lock too).
        var secondTab = fixture.ConnectHubAsync(manager.Token);
        await Task.WhenAny(secondTab, Task.Delay(3000));
        // The first tab goes away mid-connect (closed, or aborted by the server): its drain is cancelled.
        sessions.Abort(manager.Id, firstContext);
        await Task.Delay(1000);
        await tx.RollbackAsync();
        await using var second = await secondTab;

        // The user is online (a tab is open) and not away: the waiting conversation is offered and the live queue says so.
        var assignee = await fixture.AssigneeSoonAsync(waiting, manager.Id);
        var shownOnline = false;
        var until = DateTime.UtcNow.AddSeconds(3);
        while (!(shownOnline = live.Of("queueChanged").Skip(pushedBefore).Any(Online)) && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }
        await firstTab.DisposeAsync();
        Assert.True(assignee == manager.Id && shownOnline,
            $"waiting conversation's assignee: {assignee?.ToString() ?? "none"} (manager {manager.Id}); live queue shows the manager online: {shownOnline}");
    }
}
