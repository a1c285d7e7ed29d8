using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Npgsql;

namespace ContactCenter.FunctionalTests;

/// <summary>PostgreSQL goes away (through a proxy the test controls): webhooks answer 503 with Retry-After, nothing is acknowledged that was not stored, and the app recovers by itself.</summary>
public sealed class FaultTests : IAsyncLifetime
{
    private readonly AppFixture direct = new();
    private TcpProxy proxy = null!;
    private AppNode viaProxy = null!;

    public async Task InitializeAsync()
    {
        await direct.InitializeAsync();
        var cs = new NpgsqlConnectionStringBuilder(direct.Postgres);
        proxy = new TcpProxy("127.0.0.1", cs.Port);
        cs.Host = "127.0.0.1";
        cs.Port = proxy.Port;
        cs.Timeout = 3;
        cs.CommandTimeout = 5;
        viaProxy = new AppNode(cs.ConnectionString, null);
    }

    public async Task DisposeAsync()
    {
        await viaProxy.DisposeAsync();
        await proxy.DisposeAsync();
        await direct.DisposeAsync();
    }

    [Fact]
    public async Task Database_down_gives_503_with_retry_after_then_recovers_without_a_restart()
    {
        var channel = await direct.CreateApiChannelAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await direct.PostInboundAsync(channel, AppFixture.InboundBody("f-0", "cust", "before"), node: viaProxy)).StatusCode);

        proxy.Stop();
        var down = await direct.PostInboundAsync(channel, AppFixture.InboundBody("f-1", "cust", "while down"), node: viaProxy);
        using var health = viaProxy.Http();
        var ready = await health.GetAsync("/health/ready");
        var live = await health.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.True(down.Headers.RetryAfter is not null, "503 must carry Retry-After");
        var problem = await down.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("nothing was stored", problem!["detail"]!.GetValue<string>());
        Assert.DoesNotContain("Npgsql", await down.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(1, await direct.CountAsync("messages"));

        proxy.Start();
        HttpResponseMessage retried;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            retried = await direct.PostInboundAsync(channel, AppFixture.InboundBody("f-1", "cust", "while down"), node: viaProxy);
        }
        while (retried.StatusCode != HttpStatusCode.Accepted && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Equal(2, await direct.CountAsync("messages"));
        Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("/health/ready")).StatusCode);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(250);
        return true;
    }
}
