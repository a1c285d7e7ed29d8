using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Api;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// Issue #20's multi-node run: two app processes over one PostgreSQL and Redis behind Debian's nginx running the
/// shipped docker/nginx.conf (rendered for loopback ports the way scripts/cluster.sh renders it). Everything goes
/// through nginx; which node answered is read from X-Node. A message ingested on node A reaches a manager whose hub
/// connection is on node B; when node A is SIGKILLed, its hub client reconnects through nginx to node B and receives the
/// next message.
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private const string NodeA = "node-a";
    private const string NodeB = "node-b";

    private AppProcess nodeA = null!;
    private AppProcess nodeB = null!;
    private NginxProcess nginx = null!;
    private readonly List<LoopbackClient> clients = [];
    private bool disposed;

    public async Task InitializeAsync()
    {
        var database = await TestEnvironment.CreateDatabaseAsync();
        var prefix = "cc-cluster-" + Guid.NewGuid().ToString("N")[..8];
        nodeA = new AppProcess(database, Settings(NodeA, prefix));
        nodeB = new AppProcess(database, Settings(NodeB, prefix));
        nginx = new NginxProcess([nodeA.Port, nodeB.Port]);
        try
        {
            // A migrates and creates the first admin; B then starts on the migrated database, as cluster.sh does.
            await nodeA.StartAsync();
            await nodeB.StartAsync();
            await nginx.StartAsync();
        }
        catch
        {
            // xunit does not call DisposeAsync when InitializeAsync fails: the node processes must not outlive the run.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        clients.ForEach(c => c.Dispose());
        await nginx.DisposeAsync();
        await nodeA.DisposeAsync();
        await nodeB.DisposeAsync();
    }

    [Fact]
    public async Task Through_nginx_a_message_on_node_A_reaches_node_B_and_a_client_of_a_killed_node_reconnects_to_the_other()
    {
        var onA = await ClientLandingOnAsync(NodeA);
        var onB = await ClientLandingOnAsync(NodeB);

        // Signed in through nginx (each answer says which node gave it: the JWT is good on both).
        var admin = await LoginAsync(onA, "admin@test.local", "admin-password-1", NodeA);
        using var adminHttp = onA.Http(admin);
        var secret = "cluster-secret-" + Guid.NewGuid().ToString("N");
        var created = await adminHttp.PostAsJsonAsync("/api/channels", new { kind = "api", name = "Cluster", settings = new { secret } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var channelId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        var user = await adminHttp.PostAsJsonAsync("/api/users",
            new { email = "far@test.local", name = "Far", role = "manager", password = "password-1234", channelIds = new[] { channelId } });
        Assert.Equal(HttpStatusCode.Created, user.StatusCode);
        var manager = await LoginAsync(onB, "far@test.local", "password-1234", NodeB);

        // The manager holds one hub connection on each node.
        await using var hubOnA = onA.Hub(manager);
        var eventsOnA = new HubRecorder(hubOnA);
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hubOnA.Reconnected += _ =>
        {
            reconnected.TrySetResult();
            return Task.CompletedTask;
        };
        await using var hubOnB = onB.Hub(manager);
        var eventsOnB = new HubRecorder(hubOnB);
        await StartAsync(hubOnA);
        await StartAsync(hubOnB);
        Assert.Equal(NodeA, onA.LastHubNode);
        Assert.Equal(NodeB, onB.LastHubNode);

        // Ingested on node A, pushed to the connection on node B through the Redis backplane.
        var first = await IngestAsync(onA, channelId, secret, "cl-1", "through nginx on node A", NodeA);
        var pushedOnB = await eventsOnB.WaitForAsync("messageCreated", m => m["id"]!.GetValue<long>() == first);
        Assert.Equal("through nginx on node A", pushedOnB["text"]!.GetValue<string>());
        await eventsOnA.WaitForAsync("messageCreated", m => m["id"]!.GetValue<long>() == first);

        // Node A dies: its hub client reconnects through nginx, which sends it to node B.
        nodeA.Kill();
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(NodeB, onA.LastHubNode);
        await hubOnA.InvokeAsync("Ready");

        // The next message (from the client whose address hashed to node A) is taken by node B and reaches both connections.
        var second = await IngestAsync(onA, channelId, secret, "cl-2", "after node A died", NodeB);
        var pushedAfter = await eventsOnA.WaitForAsync("messageCreated", m => m["id"]!.GetValue<long>() == second, TimeSpan.FromSeconds(15));
        Assert.Equal("after node A died", pushedAfter["text"]!.GetValue<string>());
        await eventsOnB.WaitForAsync("messageCreated", m => m["id"]!.GetValue<long>() == second);
    }

    private static Dictionary<string, string> Settings(string node, string prefix) => new()
    {
        ["ConnectionStrings__Redis"] = TestEnvironment.Redis,
        ["Realtime__ChannelPrefix"] = prefix,
        ["WebChat__RedisPrefix"] = prefix,
        ["Node__Name"] = node,
        ["Network__TrustedProxies__0"] = "127.0.0.1",
    };

    /// <summary>A client on the first 127.0.X.1 network that nginx's ip_hash sends to the given node.</summary>
    private async Task<LoopbackClient> ClientLandingOnAsync(string node)
    {
        var seen = new List<string>();
        for (var network = 1; network <= 64; network++)
        {
            var client = new LoopbackClient(IPAddress.Parse($"127.0.{network}.1"), nginx.BaseAddress);
            var response = await client.Http().GetAsync("/health/ready");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/health/ready through nginx: {(int)response.StatusCode}; {nginx.ErrorLog}");
            var answered = NodeOf(response);
            seen.Add(answered);
            if (answered == node)
            {
                clients.Add(client);
                return client;
            }
            client.Dispose();
        }
        throw new InvalidOperationException($"No 127.0.X.1 client was sent to {node}; nodes seen: {string.Join(", ", seen.Distinct())}");
    }

    private static string NodeOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Node", out var values) ? values.Single() : "(no X-Node header)";

    private static async Task<string> LoginAsync(LoopbackClient client, string email, string password, string expectedNode)
    {
        var response = await client.Http().PostAsJsonAsync("/api/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expectedNode, NodeOf(response));
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
    }

    private static async Task StartAsync(HubConnection hub)
    {
        await hub.StartAsync();
        // The handshake is answered before the hub's OnConnectedAsync joins the user's groups; `Ready` is answered after.
        await hub.InvokeAsync("Ready");
    }

    /// <summary>Posts a signed api-channel webhook through nginx; returns the stored message's id.</summary>
    private static async Task<long> IngestAsync(LoopbackClient client, long channelId, string secret, string externalId, string text, string expectedNode)
    {
        var bytes = Encoding.UTF8.GetBytes(AppFixture.InboundBody(externalId, "cluster-customer", text));
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/inbound/{channelId}") { Content = content };
        request.Headers.Add(ApiSignature.Header, ApiSignature.Compute(secret, bytes));
        var response = await client.Http().SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(expectedNode, NodeOf(response));
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["messageId"]!.GetValue<long>();
    }
}
