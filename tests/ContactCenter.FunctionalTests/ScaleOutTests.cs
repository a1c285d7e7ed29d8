using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContactCenter.FunctionalTests;

/// <summary>Two app nodes on two ports over one PostgreSQL and one Redis: pushes cross nodes through the Redis backplane.</summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    // Started on an empty database: node A migrates it, node B finds it migrated (Both_nodes_migrated_one_schema_and_are_ready).
    private readonly AppFixture fixture = new EmptyDatabaseFixture();
    private AppNode nodeB = null!;

    public async Task InitializeAsync()
    {
        await fixture.InitializeAsync();
        var prefix = fixture.App.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Realtime:ChannelPrefix"];
        nodeB = new AppNode(fixture.Postgres, TestEnvironment.Redis, new Dictionary<string, string?> { ["Realtime:ChannelPrefix"] = prefix });
    }

    public async Task DisposeAsync()
    {
        await nodeB.DisposeAsync();
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task A_message_ingested_on_node_A_reaches_a_manager_connected_to_node_B()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("far", "manager", channel.Id);
        await using var hubOnB = await fixture.ConnectHubAsync(manager.Token, nodeB);
        var events = new HubRecorder(hubOnB);

        var result = await fixture.IngestAsync(channel, "n-1", "cust", "through the backplane");

        var message = await events.WaitForAsync("messageCreated");
        Assert.Equal(result["messageId"]!.GetValue<long>(), message["id"]!.GetValue<long>());
        await events.WaitForAsync("countersChanged", c => c["unreadMessages"]!.GetValue<long>() == 1);
    }

    [Fact]
    public async Task A_messages_events_cross_to_node_B_in_one_frame_per_tab()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("far-frame", "manager", channel.Id);
        using var tabOnB = await RawHubSocket.ConnectAsync(nodeB.BaseAddress, manager.Token);

        var result = await fixture.IngestAsync(channel, "n-frame", "cust", "одним кадром через Redis");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var frame = await RawHubSocket.ReceiveFrameAsync(tabOnB, timeout.Token);
        Assert.Equal(["messageCreated", "conversationUpdated", "countersChanged"], frame.Select(m => m["target"]!.GetValue<string>()));
        Assert.Equal(result["messageId"]!.GetValue<long>(), frame[0]["arguments"]![0]!["id"]!.GetValue<long>());
        Assert.Equal("одним кадром через Redis", frame[0]["arguments"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(1, frame[2]["arguments"]![0]!["changes"]!["unreadMessages"]!.GetValue<long>());
    }

    [Fact]
    public async Task Counters_followed_by_their_steps_on_both_nodes_end_equal_to_REST_after_random_concurrent_changes()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("chain", "manager", channel.Id);
        await using var hubOnA = await fixture.ConnectHubAsync(manager.Token);
        await using var hubOnB = await fixture.ConnectHubAsync(manager.Token, nodeB);
        var onA = new HubRecorder(hubOnA);
        var onB = new HubRecorder(hubOnB);
        using var httpA = fixture.App.Http(manager.Token);
        using var httpB = nodeB.Http(manager.Token);
        var random = new Random(4242);
        var conversations = new List<long>();

        // 40 rounds of 5 changes at once, each on either node: messages, reads, taking and leaving, resolving, REST reads.
        for (var round = 0; round < 40; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 5).Select(async i =>
            {
                var onNodeB = random.Next(2) == 1;
                var http = onNodeB ? httpB : httpA;
                var op = random.Next(conversations.Count == 0 ? 1 : 5);
                long conversation;
                lock (conversations)
                {
                    conversation = conversations.Count == 0 ? 0 : conversations[random.Next(conversations.Count)];
                }
                switch (op)
                {
                    case 0:
                        var posted = await fixture.PostInboundAsync(channel, AppFixture.InboundBody($"c-{round}-{i}", $"cust-{random.Next(6)}", "hi"), node: onNodeB ? nodeB : null);
                        var id = (await posted.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!.GetValue<long>();
                        lock (conversations)
                        {
                            conversations.Add(id);
                        }
                        break;
                    case 1:
                        (await http.PostAsJsonAsync($"/api/conversations/{conversation}/read", new { })).EnsureSuccessStatusCode();
                        break;
                    case 2:
                        // Taking it or leaving it: either may be refused when someone changed it meanwhile; the counters must still end right.
                        await http.PostAsJsonAsync($"/api/conversations/{conversation}/assign", new { userId = random.Next(2) == 0 ? (long?)manager.Id : null });
                        break;
                    case 3:
                        await http.PostAsJsonAsync($"/api/conversations/{conversation}/status", new { status = random.Next(2) == 0 ? "resolved" : "open" });
                        break;
                    default:
                        (await http.GetAsync("/api/counters")).EnsureSuccessStatusCode();
                        break;
                }
            }));
        }

        // Quiet: first, without touching the chain (a REST read moves it), both connections' steps add up to the exact
        // counters as the query computes them; then REST answers the same, on the same version.
        var query = fixture.App.Services.GetRequiredService<ContactCenter.Api.Features.Conversations.CountersQuery>();
        var settled = DateTime.UtcNow.AddSeconds(20);
        string truth = "";
        while (DateTime.UtcNow < settled)
        {
            truth = Values((await query.ForUsersAsync([manager.Id], CancellationToken.None))[manager.Id]);
            if (truth == Values(onA.Of("countersChanged").LastOrDefault()) && truth == Values(onB.Of("countersChanged").LastOrDefault()))
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.Equal(truth, Values(onA.Of("countersChanged").LastOrDefault()));
        Assert.Equal(truth, Values(onB.Of("countersChanged").LastOrDefault()));
        JsonObject? rest = null;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            rest = await httpA.GetFromJsonAsync<JsonObject>("/api/counters");
            if (Text(rest) == Text(onA.Of("countersChanged").LastOrDefault()) && Text(rest) == Text(onB.Of("countersChanged").LastOrDefault()))
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.True(rest!["unreadMessages"]!.GetValue<long>() + rest["mine"]!.GetValue<long>() > 0, "the random changes left nothing to count");
        Assert.Equal(Text(rest), Text(onA.Of("countersChanged").LastOrDefault()));
        Assert.Equal(Text(rest), Text(onB.Of("countersChanged").LastOrDefault()));
        // Followed by adding steps, not by re-reading: a gap (steps from two nodes crossing) is the exception.
        foreach (var (added, gaps) in new[] { onA.CounterSteps, onB.CounterSteps })
        {
            Assert.True(added >= 20 && gaps * 4 <= added, $"{added} steps added, {gaps} gaps");
        }

        static string Values(object? counters) => counters switch
        {
            ContactCenter.Api.Features.Conversations.Counters c =>
                $"{c.UnreadConversations} {c.UnreadMessages} {c.Mine} {c.Unassigned} {c.OverdueActivities} {c.ActivitiesDueToday} {c.DealsWithoutActivity}",
            JsonObject j => string.Join(" ", new[] { "unreadConversations", "unreadMessages", "mine", "unassigned", "overdueActivities", "activitiesDueToday",
                "dealsWithoutActivity" }.Select(f => j[f]!.GetValue<long>())),
            _ => "(none)",
        };

        static string Text(JsonObject? counters) =>
            counters is null ? "(none)" : string.Join(", ", counters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
    }

    [Fact]
    public async Task A_group_send_from_node_A_reaches_on_node_B_exactly_the_users_named_each_once()
    {
        var channel = await fixture.CreateApiChannelAsync();
        // Everybody works in the marker channel: its message, sent after, is what the test awaits instead of a sleep.
        var marker = await fixture.CreateApiChannelAsync(name: "Marker");
        var members = new List<AppFixture.TestUser>();
        for (var i = 0; i < 3; i++)
        {
            members.Add(await fixture.CreateUserAsync($"member-{i}", "manager", channel.Id, marker.Id));
        }
        var outsider = await fixture.CreateUserAsync("outsider", "manager", marker.Id);
        var hubs = new List<Microsoft.AspNetCore.SignalR.Client.HubConnection>();
        var onB = new List<HubRecorder>();
        foreach (var user in members)
        {
            var hub = await fixture.ConnectHubAsync(user.Token, nodeB);
            hubs.Add(hub);
            onB.Add(new HubRecorder(hub));
        }
        var outsiderHub = await fixture.ConnectHubAsync(outsider.Token, nodeB);
        hubs.Add(outsiderHub);
        var outsiderEvents = new HubRecorder(outsiderHub);
        try
        {
            var result = await fixture.IngestAsync(channel, "g-1", "cust", "to the members");

            foreach (var events in onB)
            {
                var message = await events.WaitForAsync("messageCreated");
                Assert.Equal(result["messageId"]!.GetValue<long>(), message["id"]!.GetValue<long>());
                await events.WaitForAsync("conversationUpdated");
            }
            var markerMessage = (await fixture.IngestAsync(marker, "g-marker", "marker-cust", "after it"))["messageId"]!.GetValue<long>();
            foreach (var events in onB.Append(outsiderEvents))
            {
                await events.WaitForAsync("messageCreated", m => m["id"]!.GetValue<long>() == markerMessage);
            }
            var conversation = result["conversationId"]!.GetValue<long>();
            Assert.All(onB, events => Assert.Single(events.Of("messageCreated"), m => m["conversationId"]!.GetValue<long>() == conversation));
            Assert.All(onB, events => Assert.Single(events.Of("conversationUpdated"), c => c["id"]!.GetValue<long>() == conversation));
            Assert.DoesNotContain(outsiderEvents.Of("messageCreated"), m => m["conversationId"]!.GetValue<long>() == conversation);
            Assert.DoesNotContain(outsiderEvents.Of("conversationUpdated"), c => c["id"]!.GetValue<long>() == conversation);
        }
        finally
        {
            foreach (var hub in hubs)
            {
                await hub.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Reading_on_node_B_clears_the_badge_on_node_A()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("twodev", "manager", channel.Id);
        var conversationId = (await fixture.IngestAsync(channel, "n-2", "cust", "hello"))["conversationId"]!.GetValue<long>();
        await using var onA = await fixture.ConnectHubAsync(manager.Token);
        var eventsA = new HubRecorder(onA);
        using var httpB = nodeB.Http(manager.Token);

        (await httpB.PostAsJsonAsync($"/api/conversations/{conversationId}/read", new { })).EnsureSuccessStatusCode();

        await eventsA.WaitForAsync("countersChanged", c => c["unreadMessages"]!.GetValue<long>() == 0);
    }

    [Fact]
    public async Task Both_nodes_migrated_one_schema_and_are_ready()
    {
        await using var db = new NpgsqlConnection(fixture.Postgres);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from schema_versions where scriptname like '%0001_initial.sql'", db);
        Assert.Equal(1L, await command.ExecuteScalarAsync());
        using var health = nodeB.Http();
        var ready = await health.GetAsync("/health/ready");
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Two_nodes_share_the_outbox_and_send_each_reply_exactly_once()
    {
        using var callback = WireMock.Server.WireMockServer.Start();
        callback.Given(WireMock.RequestBuilders.Request.Create().UsingPost()).RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200));
        var channel = await fixture.CreateApiChannelAsync(callback.Url + "/hook");
        var conversationId = (await fixture.IngestAsync(channel, "n-3", "cust", "hello"))["conversationId"]!.GetValue<long>();
        using var httpA = fixture.App.Http(fixture.AdminToken);
        using var httpB = nodeB.Http(fixture.AdminToken);

        for (var i = 0; i < 20; i++)
        {
            var http = i % 2 == 0 ? httpA : httpB;
            (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = $"reply {i}" })).EnsureSuccessStatusCode();
        }
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await fixture.CountAsync("outbox where state = 'done'") < 20 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(20, await fixture.CountAsync("outbox where state = 'done'"));
        var ids = callback.LogEntries.Select(e => JsonNode.Parse(e.RequestMessage.Body!)!["message"]!["id"]!.GetValue<long>()).ToList();
        Assert.Equal(20, ids.Count);
        Assert.Equal(20, ids.Distinct().Count());
    }
}
