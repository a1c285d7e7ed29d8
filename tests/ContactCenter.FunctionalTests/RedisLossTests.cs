using System.Net.Http.Json;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// Two nodes reach Redis through proxies the test cuts: each node keeps serving and pushing to its own clients,
/// cross-node pushes resume when Redis is back, and clients are told to resync what they may have missed.
/// </summary>
public sealed class RedisLossTests : IAsyncLifetime
{
    private readonly AppFixture fixture = new NoRedisFixture();
    private TcpProxy proxyA = null!;
    private TcpProxy proxyB = null!;
    private AppNode nodeA = null!;
    private AppNode nodeB = null!;

    private sealed class NoRedisFixture : AppFixture
    {
        protected override bool UseRedis => false;
    }

    public async Task InitializeAsync()
    {
        await fixture.InitializeAsync();
        var redis = TestEnvironment.Redis.Split(':');
        proxyA = new TcpProxy(redis[0], int.Parse(redis[1]));
        proxyB = new TcpProxy(redis[0], int.Parse(redis[1]));
        var prefix = new Dictionary<string, string?> { ["Realtime:ChannelPrefix"] = "cc-loss-" + Guid.NewGuid().ToString("N")[..8] };
        nodeA = new AppNode(fixture.Postgres, $"127.0.0.1:{proxyA.Port},connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000", prefix);
        nodeB = new AppNode(fixture.Postgres, $"127.0.0.1:{proxyB.Port},connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000", prefix);
    }

    public async Task DisposeAsync()
    {
        await nodeA.DisposeAsync();
        await nodeB.DisposeAsync();
        await proxyA.DisposeAsync();
        await proxyB.DisposeAsync();
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task Each_node_keeps_pushing_to_its_own_clients_and_cross_node_pushes_resume_with_a_resync()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("redisless", "manager", channel.Id);
        await using var onA = await fixture.ConnectHubAsync(manager.Token, nodeA);
        await using var onB = await fixture.ConnectHubAsync(manager.Token, nodeB);
        var eventsA = new HubRecorder(onA);
        var eventsB = new HubRecorder(onB);
        // Cross-node pushes work before the loss. A node subscribes to the backplane with its first hub connection; on
        // a busy machine that SUBSCRIBE can time out (this test's Redis timeouts are 1 s) and is retried 5 s later, and a
        // push published meanwhile does not reach node B: sent again until one does.
        for (var attempt = 0; ; attempt++)
        {
            await fixture.PostInboundAsync(channel, AppFixture.InboundBody($"r-0-{attempt}", "cust", "before"), node: nodeA);
            try
            {
                await eventsB.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "before", TimeSpan.FromSeconds(7));
                break;
            }
            catch (TimeoutException) when (attempt < 2)
            {
            }
        }

        proxyA.Stop();
        proxyB.Stop();
        await WaitUntilAsync(() => !nodeA.Services.GetRequiredService<IConnectionMultiplexer>().IsConnected);
        var during = await fixture.PostInboundAsync(channel, AppFixture.InboundBody("r-1", "cust", "during"), node: nodeA);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, during.StatusCode);
        await eventsA.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "during");
        using (var httpB = nodeB.Http(manager.Token))
        {
            // Node B still serves REST from PostgreSQL; the message is there for a client that re-reads.
            var page = await httpB.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/conversations?view=all");
            Assert.Equal("during", page!["items"]![0]!["lastMessage"]!["preview"]!.GetValue<string>());
        }

        proxyA.Start();
        proxyB.Start();
        await eventsB.WaitForAsync("resync", timeout: TimeSpan.FromSeconds(30));
        await fixture.PostInboundAsync(channel, AppFixture.InboundBody("r-2", "cust", "after"), node: nodeA);
        await eventsB.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "after", TimeSpan.FromSeconds(20));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.True(condition(), "The condition was not met in time.");
    }
}
