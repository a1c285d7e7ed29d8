using ContactCenter.Api.Realtime;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// A node whose backplane SUBSCRIBE failed misses the other nodes' sends until a later attempt subscribes; its clients
/// are then told to resync. Node A reaches Redis through a proxy that holds that SUBSCRIBE until the test releases it;
/// node B is the fixture's app, straight on Redis.
/// </summary>
public sealed class BackplaneSubscribeTests : IAsyncLifetime
{
    private readonly AppFixture fixture = new();
    private TcpProxy proxy = null!;
    private AppNode nodeA = null!;

    public async Task InitializeAsync()
    {
        await fixture.InitializeAsync();
        var prefix = fixture.App.Services.GetRequiredService<IConfiguration>()["Realtime:ChannelPrefix"];
        var redis = TestEnvironment.Redis.Split(':');
        proxy = new TcpProxy(redis[0], int.Parse(redis[1]));
        // The SUBSCRIBE of the inbox hub's backplane channel (BackplaneSends) as RESP sends it; not an UNSUBSCRIBE, not the
        // PUBLISHes of the same channel, not the other channels this node subscribes.
        var backplane = $"{prefix}:{typeof(InboxHub).FullName}:group-sends";
        proxy.Hold($"$9\r\nSUBSCRIBE\r\n${backplane.Length}\r\n{backplane}\r\n");
        // RESP2 (the default for a plain Redis server, pinned): pub/sub has a connection of its own, so holding it leaves
        // the connection that presence and the pushes' publishes use alone.
        nodeA = new AppNode(fixture.Postgres, $"127.0.0.1:{proxy.Port},protocol=resp2,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000",
            new Dictionary<string, string?> { ["Realtime:ChannelPrefix"] = prefix });
    }

    public async Task DisposeAsync()
    {
        await nodeA.DisposeAsync();
        await proxy.DisposeAsync();
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task Clients_of_a_node_that_subscribed_to_the_backplane_late_are_told_to_resync()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("latesub", "manager", channel.Id);
        await using var onB = await fixture.ConnectHubAsync(manager.Token);
        var eventsB = new HubRecorder(onB);
        // Node A's first hub connection subscribes: the SUBSCRIBE is held, times out after 1 s, and so does every attempt
        // after it (each 5 s) while the hold lasts. The connect itself goes on.
        await using var onA = await fixture.ConnectHubAsync(manager.Token, nodeA);
        var eventsA = new HubRecorder(onA);

        await fixture.IngestAsync(channel, "gap-1", "cust", "in the gap");
        await eventsB.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "in the gap");
        // Node B published it before pushing to its own client, on the connection this PING takes after it: Redis has
        // handled that publish, while node A was subscribed nowhere.
        await fixture.App.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().PingAsync();
        proxy.Release();

        // The next attempt subscribes (within 5 s; more, should it time out on its own on a busy machine).
        await eventsA.WaitForAsync("resync", r => r["reason"]!.GetValue<string>() == "backplane-subscribed", TimeSpan.FromSeconds(45));
        await fixture.IngestAsync(channel, "gap-2", "cust", "after");
        await eventsA.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "after", TimeSpan.FromSeconds(20));
        // Node B published both in order on one connection, and Redis delivers them in that order: had the first reached
        // node A, it would have come before the second.
        Assert.DoesNotContain(eventsA.Of("messageCreated"), m => m["text"]!.GetValue<string>() == "in the gap");
    }
}
