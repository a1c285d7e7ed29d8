using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.Connectors.WebChat.Tests;

public sealed class WidgetMessagesTests(WebChatFixture fixture) : IClassFixture<WebChatFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_visitor_message_goes_through_the_pipeline_to_the_managers_hub()
    {
        var channel = await fixture.CreateWebchatAsync();
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var inbox = new HubRecorder(hub);
        var visitor = await fixture.StartSessionAsync(channel.Key, new { name = "Ann", email = "ann@example.com" });

        var response = await fixture.SendAsync(visitor, "Is the blue one in stock?", "c-1");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("inbound", message["direction"]!.GetValue<string>());
        Assert.Equal("c-1", message["clientMessageId"]!.GetValue<string>());
        var pushed = await inbox.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "Is the blue one in stock?");
        Assert.Equal(message["id"]!.GetValue<long>(), pushed["id"]!.GetValue<long>());
        await inbox.WaitForAsync("conversationUpdated");
        await inbox.WaitForAsync("countersChanged");
        await using var db = fixture.Db();
        var stored = await db.QuerySingleAsync<(string Name, string Email, long? LeadId)>(
            "select ct.name, ct.email, c.lead_id from conversations c join contacts ct on ct.id = c.contact_id");
        Assert.Equal(("Ann", "ann@example.com"), (stored.Name, stored.Email));
        Assert.NotNull(stored.LeadId);
    }

    [Fact]
    public async Task The_same_client_message_id_is_stored_once()
    {
        var channel = await fixture.CreateWebchatAsync();
        var visitor = await fixture.StartSessionAsync(channel.Key);

        var first = await fixture.SendAsync(visitor, "hello", "same-id");
        var second = await fixture.SendAsync(visitor, "hello", "same-id");

        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>(),
            (await second.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>());
        Assert.Equal(1, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task Visitor_B_never_reads_or_joins_visitor_A_conversation_even_with_the_same_client_ids_and_email()
    {
        var channel = await fixture.CreateWebchatAsync();
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        var a = await fixture.StartSessionAsync(channel.Key, new { email = "shared@example.com" });
        var b = await fixture.StartSessionAsync(channel.Key, new { email = "shared@example.com" });
        await using var bHub = await fixture.ConnectWidgetAsync(b.Token);
        var bEvents = new HubRecorder(bHub);

        var aMessage = (await (await fixture.SendAsync(a, "A's secret order number 1234", "1")).Content.ReadFromJsonAsync<JsonObject>())!;
        var bResponse = await fixture.SendAsync(b, "B here", "1");
        var aConversation = aMessage["conversationId"]!.GetValue<long>();
        using var managerHttp = fixture.App.Http(manager.Token);
        (await managerHttp.PostAsJsonAsync($"/api/conversations/{aConversation}/messages", new { text = "Reply for A only" })).EnsureSuccessStatusCode();
        (await managerHttp.PostAsJsonAsync($"/api/conversations/{aConversation}/messages", new { text = "internal note", @private = true })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Created, bResponse.StatusCode);
        var bMessage = (await bResponse.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.NotEqual(aConversation, bMessage["conversationId"]!.GetValue<long>());
        var bHistory = (await fixture.HistoryAsync(b))["items"]!.AsArray();
        Assert.Equal(["B here"], bHistory.Select(m => m!["text"]!.GetValue<string>()));
        // A sees the reply but never the manager's note.
        await WaitUntilAsync(async () => (await fixture.HistoryAsync(a))["items"]!.AsArray().Count == 2);
        Assert.Equal(["Reply for A only", "A's secret order number 1234"],
            (await fixture.HistoryAsync(a))["items"]!.AsArray().Select(m => m!["text"]!.GetValue<string>()));
        // A's reply has been pushed (a push is what makes it `sent`); then one for B, which reaches B's widget after anything
        // pushed to it before: had A's reply leaked, it would be there by now.
        await WaitUntilAsync(async () => await fixture.CountAsync($"messages where conversation_id = {aConversation} and text = 'Reply for A only' and status = 'sent'") == 1);
        var bConversation = bMessage["conversationId"]!.GetValue<long>();
        (await managerHttp.PostAsJsonAsync($"/api/conversations/{bConversation}/messages", new { text = "Reply for B" })).EnsureSuccessStatusCode();
        await bEvents.WaitForAsync("messageCreated", m => m["text"]?.GetValue<string>() == "Reply for B");
        Assert.DoesNotContain(bEvents.Of("messageCreated"), m => m["conversationId"]!.GetValue<long>() == aConversation);
    }

    [Fact]
    public async Task A_tampered_or_missing_token_is_401_and_a_manager_token_is_not_a_visitor_token()
    {
        var channel = await fixture.CreateWebchatAsync();
        var visitor = await fixture.StartSessionAsync(channel.Key);
        var parts = visitor.Token.Split('.');
        var otherKey = System.Text.Encoding.UTF8.GetBytes($$"""{"C":{{channel.Id}},"K":"visitor:someone-else","E":4102444800}""");
        var tampered = $"{parts[0]}.{Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(otherKey)}.{parts[2]}";

        foreach (var token in new[] { tampered, fixture.AdminToken, "" })
        {
            using var http = fixture.Site(visitorToken: token.Length == 0 ? null : token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/widget/messages")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/api/widget/messages", new { text = "hi" })).StatusCode);
        }
        await Assert.ThrowsAnyAsync<Exception>(() => fixture.ConnectWidgetAsync(tampered));
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task Empty_oversized_or_foreign_messages_are_refused_and_nothing_is_stored()
    {
        var channel = await fixture.CreateWebchatAsync();
        var visitor = await fixture.StartSessionAsync(channel.Key);

        var empty = await fixture.SendAsync(visitor, "   ");
        // Only invisible characters (zero-width space and joiner, a byte-order mark): empty to the manager who would read it.
        var invisible = await fixture.SendAsync(visitor, "\u200B \u200D\uFEFF");
        var huge = await fixture.SendAsync(visitor, new string('x', 5001));
        var foreign = await fixture.SendAsync(visitor, "hello", origin: "https://evil.example");
        using var foreignRead = fixture.Site("https://evil.example", visitor.Token);
        var foreignHistory = await foreignRead.GetAsync("/api/widget/messages");
        await Assert.ThrowsAnyAsync<Exception>(() => fixture.ConnectWidgetAsync(visitor.Token, "https://evil.example"));

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invisible.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Contains("5000", (await huge.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignHistory.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("contacts"));
        Assert.Equal(HttpStatusCode.Created, (await fixture.SendAsync(visitor, new string('x', 5000))).StatusCode);
    }

    [Fact]
    public async Task A_disabled_channel_refuses_its_visitors()
    {
        var channel = await fixture.CreateWebchatAsync();
        var visitor = await fixture.StartSessionAsync(channel.Key);
        using var admin = fixture.App.Http(fixture.AdminToken);
        (await admin.PatchAsJsonAsync($"/api/channels/{channel.Id}", new { enabled = false })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.SendAsync(visitor, "hello")).StatusCode);
        using var http = fixture.Site();
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsJsonAsync($"/api/widget/{channel.Key}/session", new { })).StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task A_manager_reply_and_typing_reach_the_visitor_live_and_the_reply_is_sent()
    {
        var channel = await fixture.CreateWebchatAsync();
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        var visitor = await fixture.StartSessionAsync(channel.Key);
        var first = (await (await fixture.SendAsync(visitor, "anyone there?")).Content.ReadFromJsonAsync<JsonObject>())!;
        var conversationId = first["conversationId"]!.GetValue<long>();
        await using var widget = await fixture.ConnectWidgetAsync(visitor.Token);
        var events = new HubRecorder(widget);
        await using var inbox = await fixture.ConnectHubAsync(manager.Token);
        var inboxEvents = new HubRecorder(inbox);

        await inbox.InvokeAsync("Typing", conversationId);
        var typing = await events.WaitForAsync("typing");
        using var http = fixture.App.Http(manager.Token);
        (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "Yes! <b>How</b> can I help?" })).EnsureSuccessStatusCode();
        var reply = await events.WaitForAsync("messageCreated", m => m["direction"]!.GetValue<string>() == "outbound");

        Assert.Equal("mia", typing["name"]!.GetValue<string>());
        Assert.Equal("Yes! <b>How</b> can I help?", reply["text"]!.GetValue<string>());
        Assert.Equal("mia", reply["sender"]!["name"]!.GetValue<string>());
        Assert.Null(reply["sender"]!["id"]);
        await inboxEvents.WaitForAsync("messageUpdated", m => m["status"]!.GetValue<string>() == "sent");
    }

    [Fact]
    public async Task A_reply_reaches_a_visitor_connected_to_another_node()
    {
        var channel = await fixture.CreateWebchatAsync();
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        await using var second = new AppNode(fixture.Postgres, TestEnvironment.Redis, fixture.Settings);
        var visitor = await fixture.StartSessionAsync(channel.Key, node: second);
        var conversationId = (await (await fixture.SendAsync(visitor, "hello from node 2", node: second)).Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!.GetValue<long>();
        await using var widget = await fixture.ConnectWidgetAsync(visitor.Token, node: second);
        var events = new HubRecorder(widget);

        using var http = fixture.App.Http(manager.Token);
        (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "answered from node 1" })).EnsureSuccessStatusCode();

        var reply = await events.WaitForAsync("messageCreated", m => m["direction"]!.GetValue<string>() == "outbound");
        Assert.Equal("answered from node 1", reply["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Name_and_email_given_after_the_first_message_fill_the_contact_but_never_overwrite_it()
    {
        var channel = await fixture.CreateWebchatAsync();
        var visitor = await fixture.StartSessionAsync(channel.Key);
        await fixture.SendAsync(visitor, "hi");
        using var http = fixture.Site(visitorToken: visitor.Token);

        var bad = await http.PostAsJsonAsync("/api/widget/profile", new { email = "not-an-email" });
        var ok = await http.PostAsJsonAsync("/api/widget/profile", new { name = "Bob", email = "bob@example.com" });
        var again = await http.PostAsJsonAsync("/api/widget/profile", new { name = "Mallory", email = "mallory@example.com" });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        await using var db = fixture.Db();
        Assert.Equal(("Bob", "bob@example.com"), await db.QuerySingleAsync<(string, string)>("select name, email from contacts"));
    }

    [Fact]
    public async Task History_pages_with_a_cursor()
    {
        var channel = await fixture.CreateWebchatAsync();
        var visitor = await fixture.StartSessionAsync(channel.Key);
        for (var i = 1; i <= 5; i++)
        {
            await fixture.SendAsync(visitor, $"m{i}");
        }
        using var http = fixture.Site(visitorToken: visitor.Token);

        var first = (await http.GetFromJsonAsync<JsonObject>("/api/widget/messages?limit=3"))!;
        var second = (await http.GetFromJsonAsync<JsonObject>($"/api/widget/messages?limit=3&cursor={first["nextCursor"]!.GetValue<string>()}"))!;

        Assert.Equal(["m5", "m4", "m3"], first["items"]!.AsArray().Select(m => m!["text"]!.GetValue<string>()));
        Assert.Equal(["m2", "m1"], second["items"]!.AsArray().Select(m => m!["text"]!.GetValue<string>()));
        Assert.Null(second["nextCursor"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/widget/messages?cursor=abc")).StatusCode);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100 && !await condition(); i++)
        {
            await Task.Delay(100);
        }
    }
}
