using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using ContactCenter.Api.Features.Crm.Automation;
using ContactCenter.Api.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContactCenter.FunctionalTests;

/// <summary>PostgreSQL goes away (through a proxy the test controls): webhooks answer 503 with Retry-After, nothing is acknowledged that was not stored, and the app recovers by itself.</summary>
public sealed class FaultTests : IAsyncLifetime
{
    /// <summary>The directly connected app runs no Hangfire server: every job is run by the node behind the proxy.</summary>
    private sealed class WithoutJobServer : AppFixture
    {
        protected override IDictionary<string, string?> ExtraSettings()
        {
            var settings = base.ExtraSettings();
            settings["Jobs:Server"] = "false";
            return settings;
        }
    }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly AppFixture direct = new WithoutJobServer();
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

    /// <summary>
    /// A hub's WebSocket request takes a short path that skips the exception handler middleware (HubSockets); with the
    /// database away its session check fails, and it gets the same 503 with Retry-After as every other request, not a
    /// bare 500 with an error log per reconnect attempt (found by an outside review, session 34).
    /// </summary>
    [Fact]
    public async Task A_hub_socket_while_the_database_is_down_is_a_503_with_retry_after()
    {
        // Created through the other node: this one has never read the user's session, so its check goes to the database.
        var user = await direct.CreateUserAsync("socket-down", "manager");
        proxy.Stop();
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            var address = new UriBuilder(viaProxy.BaseAddress) { Scheme = "ws", Path = "/hubs/inbox", Query = "access_token=" + Uri.EscapeDataString(user.Token) };
            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(address.Uri, CancellationToken.None));
        }
        finally
        {
            proxy.Start();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, socket.HttpStatusCode);
        Assert.Equal("5", socket.HttpResponseHeaders?.FirstOrDefault(h => h.Key.Equals("Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.Single());
    }

    [Fact]
    public async Task Database_down_gives_503_with_retry_after_then_recovers_without_a_restart()
    {
        var channel = await direct.CreateApiChannelAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await direct.PostInboundAsync(channel, AppFixture.InboundBody("f-0", "cust", "before"), node: viaProxy)).StatusCode);

        using var supervisor = viaProxy.Http(direct.AdminToken);
        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync("/api/stats/queue")).StatusCode); // the session is cached now

        proxy.Stop();
        var down = await direct.PostInboundAsync(channel, AppFixture.InboundBody("f-1", "cust", "while down"), node: viaProxy);
        using var health = viaProxy.Http();
        var ready = await health.GetAsync("/health/ready");
        var live = await health.GetAsync("/health/live");
        // Supervisors reading the queue at once share its read: its failure is each one's 503, as a read of their own was.
        var queues = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => supervisor.GetAsync("/api/stats/queue")));
        Assert.All(queues, q => Assert.Equal(HttpStatusCode.ServiceUnavailable, q.StatusCode));
        Assert.All(queues, q => Assert.NotNull(q.Headers.RetryAfter));

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
        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync("/api/stats/queue")).StatusCode);
    }

    [Fact]
    public async Task Hangfire_jobs_resume_on_the_node_that_lost_its_database_without_a_restart()
    {
        var channel = await direct.CreateApiChannelAsync();
        using var admin = direct.App.Http(direct.AdminToken);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/automation/rules", new
        {
            name = "Call back", trigger = new { type = "leadCreated" },
            actions = new object[] { new { type = "createActivity", activityType = "call", title = "Call back", dueIn = "PT10M" } },
        })).StatusCode);
        await direct.IngestAsync(channel, "h-0", "cust-0", "before");
        // Finished in Hangfire too before the outage (a job cut off while Hangfire records its end is run again only after
        // the invisibility timeout: harmless, its automation row is done, but not what this test waits for).
        await HttpJson.EventuallyAsync(async () => await direct.CountAsync("activities") == 1 && (await HangfireRunsAsync()).SequenceEqual(["Succeeded"]),
            "the automation job before the outage", Patience);

        proxy.Stop();
        // Instead of a sleep: the node has met the outage — its polling loops ended failed rounds and it reports itself not
        // ready. (Not Hangfire's own log lines: Hangfire logs through one static provider that forwards to the app started
        // last, which in a full run is another test class's app.)
        using (var patience = new CancellationTokenSource(Patience))
        {
            await viaProxy.Services.GetRequiredService<CrmScheduler>().RoundsAsync(2, patience.Token);
            await viaProxy.Services.GetRequiredService<OutboxWorker>().RoundsAsync(2, patience.Token);
        }
        using (var health = viaProxy.Http())
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await health.GetAsync("/health/ready")).StatusCode);
        }
        proxy.Start();
        await direct.IngestAsync(channel, "h-1", "cust-1", "after");

        await HttpJson.EventuallyAsync(async () => await direct.CountAsync("activities") == 2, "the automation job after the outage", Patience);
        // Both runs are Hangfire jobs, finished by the only job server there is: the one behind the proxy.
        await HttpJson.EventuallyAsync(async () => (await HangfireRunsAsync()).SequenceEqual(["Succeeded", "Succeeded"]),
            "both automation runs to be recorded as succeeded by Hangfire", Patience);
        using var jobs = viaProxy.Http(direct.AdminToken);
        var overview = await jobs.GetFromJsonAsync<JsonObject>("/api/admin/jobs");
        var server = Assert.Single(overview!["servers"]!.AsArray());
        Assert.True(DateTime.UtcNow - server!["heartbeat"]!.GetValue<DateTime>() < TimeSpan.FromSeconds(60), "the job server keeps its heartbeat");
    }

    private async Task<List<string>> HangfireRunsAsync()
    {
        await using var db = direct.Db();
        return (await Dapper.SqlMapper.QueryAsync<string>(db,
            "select statename from hangfire.job where invocationdata::text like '%AutomationRunner%' order by id")).ToList();
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(250);
        return true;
    }
}
