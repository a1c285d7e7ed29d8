using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Api;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactCenter.FunctionalTests;

/// <summary>Replies on an api channel leave through the durable outbox to the integration's callback (WireMock stands in for it).</summary>
public sealed class OutboxTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private readonly WireMockServer callback = WireMockServer.Start();

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync()
    {
        callback.Stop();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_reply_is_delivered_signed_after_a_500_and_ends_sent()
    {
        callback.Given(Request.Create().WithPath("/hook").UsingPost()).InScenario("flaky").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(500));
        callback.Given(Request.Create().WithPath("/hook").UsingPost()).InScenario("flaky").WhenStateIs("recovered")
            .RespondWith(Response.Create().WithStatusCode(200));
        var channel = await fixture.CreateApiChannelAsync(callback.Url + "/hook");
        var manager = await fixture.CreateUserAsync("replier", "manager", channel.Id);
        var conversationId = (await fixture.IngestAsync(channel, "in-1", "customer-77", "Where is my order?"))["conversationId"]!.GetValue<long>();
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var events = new HubRecorder(hub);
        using var http = fixture.App.Http(manager.Token);

        var response = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "On its way! Ваш заказ в пути 🚚", clientMessageId = "c-1" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("queued", queued!["status"]!.GetValue<string>());
        var id = queued["id"]!.GetValue<long>();
        var sent = await events.WaitForAsync("messageUpdated", m => m["id"]!.GetValue<long>() == id && m["status"]!.GetValue<string>() == "sent", TimeSpan.FromSeconds(15));
        Assert.Null(sent["error"]);
        await events.WaitForAsync("messageUpdated", m => m["id"]!.GetValue<long>() == id && m["status"]!.GetValue<string>() == "queued" && m["error"] is not null);

        var calls = callback.LogEntries.Select(e => e.RequestMessage).ToList();
        Assert.Equal(2, calls.Count);
        var last = calls[^1];
        var body = JsonNode.Parse(last.Body!)!;
        Assert.Equal("message.created", body["event"]!.GetValue<string>());
        Assert.Equal("On its way! Ваш заказ в пути 🚚", body["message"]!["text"]!.GetValue<string>());
        Assert.Equal("customer-77", body["contact"]!["externalId"]!.GetValue<string>());
        Assert.True(ApiSignature.Verify(channel.Secret, Encoding.UTF8.GetBytes(last.Body!), last.Headers!["X-Signature"].Single()));
        await using var db = fixture.Db();
        // The push of `sent` comes before the worker marks its row done: wait for that, do not race it.
        await WaitUntilAsync(async () => await db.ExecuteScalarAsync<string>("select state from outbox where message_id = @id", new { id }) == "done");
        var conversation = await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}");
        Assert.Null(conversation!["waitingSince"]);
        Assert.Equal(manager.Id, conversation["assignee"]!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_same_client_message_id_twice_gives_the_same_message_and_one_delivery()
    {
        callback.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        var channel = await fixture.CreateApiChannelAsync(callback.Url + "/hook");
        var conversationId = (await fixture.IngestAsync(channel, "in-2", "cust", "hi"))["conversationId"]!.GetValue<long>();
        using var http = fixture.App.Http(fixture.AdminToken);

        var first = await (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "hello", clientMessageId = "same" })).Content.ReadFromJsonAsync<JsonObject>();
        var second = await (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "hello", clientMessageId = "same" })).Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(first!["id"]!.GetValue<long>(), second!["id"]!.GetValue<long>());
        Assert.Equal(1, await fixture.CountAsync("messages where direction = 'outbound'"));
        Assert.Equal(1, await fixture.CountAsync("outbox"));
        await WaitUntilAsync(async () => await fixture.CountAsync("outbox where state = 'done'") == 1);
        Assert.Single(callback.LogEntries);
    }

    [Fact]
    public async Task A_refused_callback_ends_failed_with_the_reason_and_can_be_retried()
    {
        callback.Given(Request.Create().WithPath("/hook").UsingPost()).InScenario("refuse").WillSetStateTo("accept")
            .RespondWith(Response.Create().WithStatusCode(422));
        callback.Given(Request.Create().WithPath("/hook").UsingPost()).InScenario("refuse").WhenStateIs("accept")
            .RespondWith(Response.Create().WithStatusCode(200));
        var channel = await fixture.CreateApiChannelAsync(callback.Url + "/hook");
        var conversationId = (await fixture.IngestAsync(channel, "in-3", "cust", "hi"))["conversationId"]!.GetValue<long>();
        using var http = fixture.App.Http(fixture.AdminToken);
        var created = (await (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "hello" })).Content.ReadFromJsonAsync<JsonObject>())!;
        var id = created["id"]!.GetValue<long>();
        // The answer is the message as read after the commit: "queued" at revision 0, unless the outbox (woken by the same
        // commit) already changed it, and then a later revision (a full run saw revision 1 here once).
        var createdRevision = created["revision"]!.GetValue<int>();
        Assert.True(created["status"]!.GetValue<string>() != "queued" || createdRevision == 0, $"a queued reply answered with revision {createdRevision}");

        var failed = await WaitForMessageAsync(http, conversationId, id, "failed");
        Assert.Contains("422", failed["error"]!.GetValue<string>());
        Assert.True(failed["revision"]!.GetValue<int>() >= Math.Max(1, createdRevision), $"revisions: created {createdRevision}, failed {failed["revision"]}");

        (await http.PostAsync($"/api/messages/{id}/retry", null)).EnsureSuccessStatusCode();
        var sent = await WaitForMessageAsync(http, conversationId, id, "sent");
        Assert.Null(sent["error"]);
        // Every change counts (the retry's "queued" among them), so a screen keeps "sent" whichever push comes last.
        Assert.True(sent["revision"]!.GetValue<int>() >= failed["revision"]!.GetValue<int>() + 2,
            $"revisions: failed {failed["revision"]}, sent {sent["revision"]}");
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync($"/api/messages/{id}/retry", null)).StatusCode);
    }

    [Fact]
    public async Task A_callback_that_keeps_failing_gives_up_visibly()
    {
        callback.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(503));
        var channel = await fixture.CreateApiChannelAsync(callback.Url + "/hook");
        var conversationId = (await fixture.IngestAsync(channel, "in-4", "cust", "hi"))["conversationId"]!.GetValue<long>();
        using var http = fixture.App.Http(fixture.AdminToken);
        var id = (await (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "hello" })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();

        var failed = await WaitForMessageAsync(http, conversationId, id, "failed", TimeSpan.FromSeconds(30));

        Assert.StartsWith("Gave up after 5 attempts", failed["error"]!.GetValue<string>());
        Assert.Equal(5, callback.LogEntries.Count());
    }

    [Fact]
    public async Task A_private_note_never_leaves_and_does_not_answer_the_customer()
    {
        var channel = await fixture.CreateApiChannelAsync(callback.Url + "/hook");
        var conversationId = (await fixture.IngestAsync(channel, "in-5", "cust", "hi"))["conversationId"]!.GetValue<long>();
        using var http = fixture.App.Http(fixture.AdminToken);

        var note = await (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "VIP, be nice", @private = true })).Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal("note", note!["direction"]!.GetValue<string>());
        Assert.Equal(0, await fixture.CountAsync("outbox"));
        var conversation = await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}");
        Assert.NotNull(conversation!["waitingSince"]);
        Assert.Empty(callback.LogEntries);
    }

    private static async Task<JsonObject> WaitForMessageAsync(HttpClient http, long conversationId, long id, string status, TimeSpan? timeout = null)
    {
        JsonObject? found = null;
        await WaitUntilAsync(async () =>
        {
            var page = await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages");
            found = page!["items"]!.AsArray().Select(i => i!.AsObject()).Single(m => m["id"]!.GetValue<long>() == id);
            return found["status"]!.GetValue<string>() == status;
        }, timeout);
        return found!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition was not met in time.");
            await Task.Delay(100);
        }
    }
}
