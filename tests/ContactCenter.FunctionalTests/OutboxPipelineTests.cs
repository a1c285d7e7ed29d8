using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Outbound;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactCenter.FunctionalTests;

/// <summary>Two nodes whose outbox leases last two seconds: a slow send must outlive its lease without being claimed twice.</summary>
public sealed class ShortLeaseFixture : AppFixture
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    public AppNode NodeB { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var prefix = App.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Realtime:ChannelPrefix"];
        NodeB = new AppNode(Postgres, TestEnvironment.Redis, new Dictionary<string, string?>
        {
            ["Realtime:ChannelPrefix"] = prefix,
            ["Outbox:Lease"] = Lease.ToString(),
        });
    }

    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["Outbox:Lease"] = Lease.ToString();
        return settings;
    }

    public override async Task DisposeAsync()
    {
        if (NodeB is not null)
        {
            await NodeB.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}

/// <summary>The outbox runs sends concurrently (a slow provider delays nobody else), in order per conversation, each once.</summary>
public sealed class OutboxPipelineTests(ShortLeaseFixture fixture) : IClassFixture<ShortLeaseFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(6);

    private readonly WireMockServer callback = WireMockServer.Start();

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync()
    {
        callback.Stop();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_hanging_provider_does_not_delay_a_send_on_another_channel()
    {
        callback.Given(Request.Create().WithPath("/slow").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithDelay(Slow));
        callback.Given(Request.Create().WithPath("/fast").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var slowChannel = await fixture.CreateApiChannelAsync(callback.Url + "/slow", "Slow");
        var fastChannel = await fixture.CreateApiChannelAsync(callback.Url + "/fast", "Fast");
        var slowConversation = await ConversationAsync(slowChannel, "in-slow", "cust-slow");
        var fastConversation = await ConversationAsync(fastChannel, "in-fast", "cust-fast");
        using var http = fixture.App.Http(fixture.AdminToken);

        var stuck = await ReplyAsync(http, slowConversation, "to the hanging provider");
        await WaitUntilAsync(() => OutboxStateAsync(stuck), "running");
        var quick = await ReplyAsync(http, fastConversation, "to the healthy one");

        await WaitUntilAsync(() => MessageStatusAsync(quick), "sent", Slow - TimeSpan.FromSeconds(1));
        Assert.Equal("running", await OutboxStateAsync(stuck));
        Assert.Equal("queued", await MessageStatusAsync(stuck));
        await WaitUntilAsync(() => MessageStatusAsync(stuck), "sent", Slow * 2);
        Assert.Single(callback.LogEntries, e => e.RequestMessage.Path == "/slow");
    }

    [Fact]
    public async Task Two_replies_of_one_conversation_go_in_order_while_another_conversation_moves_on()
    {
        // The first reply is slow at the provider, the others fast: a second reply sent too early would overtake it.
        callback.Given(Request.Create().WithPath("/hook").UsingPost().WithBody(new WildcardMatcher("*\"text\":\"first\"*"))).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(Slow));
        callback.Given(Request.Create().WithPath("/hook").UsingPost()).AtPriority(2).RespondWith(Response.Create().WithStatusCode(200));
        var channel = await fixture.CreateApiChannelAsync(callback.Url + "/hook");
        var conversation = await ConversationAsync(channel, "in-1", "cust-1");
        var other = await ConversationAsync(channel, "in-2", "cust-2");
        using var http = fixture.App.Http(fixture.AdminToken);

        var first = await ReplyAsync(http, conversation, "first");
        await WaitUntilAsync(() => OutboxStateAsync(first), "running");
        var second = await ReplyAsync(http, conversation, "second");
        var elsewhere = await ReplyAsync(http, other, "elsewhere");

        await WaitUntilAsync(() => MessageStatusAsync(elsewhere), "sent", Slow - TimeSpan.FromSeconds(1));
        Assert.Equal("queued", await MessageStatusAsync(first));
        Assert.Equal("queued", await MessageStatusAsync(second));
        await WaitUntilAsync(() => MessageStatusAsync(second), "sent", Slow * 2);
        var arrivals = callback.LogEntries.OrderBy(e => e.RequestMessage.DateTime)
            .Select(e => (Text: JsonNode.Parse(e.RequestMessage.Body!)!["message"]!["text"]!.GetValue<string>(), At: e.RequestMessage.DateTime)).ToList();
        Assert.Equal(["first", "elsewhere", "second"], arrivals.Select(a => a.Text));
        // The second left only after the provider had answered the first.
        Assert.True(arrivals[2].At - arrivals[0].At >= Slow - TimeSpan.FromMilliseconds(50), $"second sent {arrivals[2].At - arrivals[0].At} after the first");
        Assert.Equal("sent", await MessageStatusAsync(first));
    }

    [Fact]
    public async Task A_send_that_outlives_its_lease_is_not_claimed_again_by_another_node()
    {
        callback.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithDelay(Slow));
        var channel = await fixture.CreateApiChannelAsync(callback.Url + "/hook");
        var conversation = await ConversationAsync(channel, "in-3", "cust-3");
        using var http = fixture.App.Http(fixture.AdminToken);

        var id = await ReplyAsync(http, conversation, "slower than the lease");
        await WaitUntilAsync(() => OutboxStateAsync(id), "running");
        await using var db = fixture.Db();
        // Wait, on the database's clock, until the claim is older than its first lease plus a renewal period.
        await WaitUntilAsync(async () => (await db.ExecuteScalarAsync<bool>(
            "select state = 'running' and now() > updated_at + @late from outbox where message_id = @id",
            new { id, late = ShortLeaseFixture.Lease * 1.5 })).ToString(), "True");

        // Both nodes poll on their own all along; a claim made now, on either, must find nothing to take.
        Assert.Equal(0, await fixture.NodeB.Services.GetRequiredService<OutboxWorker>().RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await fixture.App.Services.GetRequiredService<OutboxWorker>().RunOnceAsync(CancellationToken.None));

        await WaitUntilAsync(() => OutboxStateAsync(id), "done", Slow * 2);
        Assert.Equal("sent", await MessageStatusAsync(id));
        Assert.Single(callback.LogEntries);
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("select attempts from outbox where message_id = @id", new { id }));
    }

    private async Task<long> ConversationAsync(AppFixture.ApiChannel channel, string externalId, string contact) =>
        (await fixture.IngestAsync(channel, externalId, contact, "hello"))["conversationId"]!.GetValue<long>();

    private static async Task<long> ReplyAsync(HttpClient http, long conversationId, string text)
    {
        var response = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
    }

    private async Task<string?> OutboxStateAsync(long messageId)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<string>("select state from outbox where message_id = @messageId", new { messageId });
    }

    private async Task<string?> MessageStatusAsync(long messageId)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<string>("select status from messages where id = @messageId", new { messageId });
    }

    private static async Task WaitUntilAsync(Func<Task<string?>> read, string expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        string? last;
        while ((last = await read()) != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Expected '{expected}', still '{last}'.");
            await Task.Delay(50);
        }
    }
}
