using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>The notification centre, per-user settings and @mentions (issue #16): each notice reaches its own user only.</summary>
public sealed partial class NotificationsTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<long> ConversationAsync(AppFixture.ApiChannel channel, string customer)
    {
        var created = await fixture.IngestAsync(channel, "n-" + Guid.NewGuid().ToString("N"), customer, "hello", customer);
        return created["conversationId"]!.GetValue<long>();
    }

    private static async Task<JsonObject> NotificationsAsync(HttpClient http, string? cursor = null) =>
        await (await http.GetAsync("/api/notifications" + (cursor is null ? "" : "?cursor=" + cursor))).OkJsonAsync();

    private static Task<HttpResponseMessage> NoteAsync(HttpClient http, long conversationId, string text, params long[] mentionUserIds) =>
        http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text, @private = true, mentionUserIds });

    [Fact]
    public async Task Assigning_a_conversation_to_a_colleague_notifies_them_and_not_the_one_who_assigned()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("as1", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("as2", "manager", channel.Id);
        var id = await ConversationAsync(channel, "Olga");
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        await using var hub2 = await fixture.ConnectHubAsync(m2.Token);
        var events2 = new HubRecorder(hub2);

        (await http1.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = m1.Id })).EnsureSuccessStatusCode(); // to self: no notice
        (await http1.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = m2.Id })).EnsureSuccessStatusCode();

        var pushed = await events2.WaitForAsync("notification");
        Assert.Equal("assigned", pushed["kind"]!.GetValue<string>());
        Assert.Equal(id, pushed["conversationId"]!.GetValue<long>());
        var list = await NotificationsAsync(http2);
        var item = Assert.Single(list["items"]!.AsArray())!;
        Assert.Equal(pushed["id"]!.GetValue<long>(), item.Id());
        Assert.Contains("as1", item["text"]!.GetValue<string>());
        Assert.Contains("Olga", item["text"]!.GetValue<string>());
        // The facts of the sentence, for the web app to word it in its user's language.
        Assert.Equal("Olga", item["data"]!["contact"]!.GetValue<string>());
        Assert.Equal("Integration", item["data"]!["channel"]!.GetValue<string>());
        Assert.Equal("as1", item["data"]!["by"]!.GetValue<string>());
        Assert.Equal("as1", pushed["data"]!["by"]!.GetValue<string>());
        Assert.Null(item["readAt"]);
        Assert.Equal(1, list["unread"]!.GetValue<long>());
        Assert.Empty((await NotificationsAsync(http1))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_mention_grants_participation_notifies_only_the_colleague_and_is_noted_in_the_conversation()
    {
        var channelA = await fixture.CreateApiChannelAsync(name: "A");
        var channelB = await fixture.CreateApiChannelAsync(name: "B");
        var author = await fixture.CreateUserAsync("author", "manager", channelA.Id);
        var colleague = await fixture.CreateUserAsync("colleague", "manager", channelB.Id);
        var bystander = await fixture.CreateUserAsync("bystander", "manager", channelB.Id);
        var id = await ConversationAsync(channelA, "Ivan");
        using var http = fixture.App.Http(author.Token);
        using var colleagueHttp = fixture.App.Http(colleague.Token);
        (await http.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = author.Id })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await colleagueHttp.GetAsync($"/api/conversations/{id}")).StatusCode);
        await using var colleagueHub = await fixture.ConnectHubAsync(colleague.Token);
        await using var bystanderHub = await fixture.ConnectHubAsync(bystander.Token);
        var colleagueEvents = new HubRecorder(colleagueHub);
        var bystanderEvents = new HubRecorder(bystanderHub);

        var note = await (await NoteAsync(http, id, "@colleague can you check the invoice?", colleague.Id, author.Id)).OkJsonAsync(HttpStatusCode.Accepted);

        var pushed = await colleagueEvents.WaitForAsync("notification");
        Assert.Equal("mention", pushed["kind"]!.GetValue<string>());
        Assert.Equal(id, pushed["conversationId"]!.GetValue<long>());
        Assert.Contains("can you check the invoice", pushed["text"]!.GetValue<string>());
        Assert.Equal("author", pushed["data"]!["by"]!.GetValue<string>());
        Assert.Equal("Ivan", pushed["data"]!["contact"]!.GetValue<string>());
        Assert.Equal("@colleague can you check the invoice?", pushed["data"]!["preview"]!.GetValue<string>());
        // The colleague now sees the conversation live and over REST: list, get, messages, read.
        await colleagueEvents.WaitForAsync("conversationUpdated", c => c.Id() == id);
        await colleagueEvents.WaitForAsync("messageCreated", m => m.Id() == note.Id());
        Assert.Equal(HttpStatusCode.OK, (await colleagueHttp.GetAsync($"/api/conversations/{id}")).StatusCode);
        var listed = await (await colleagueHttp.GetAsync("/api/conversations?view=all")).OkJsonAsync();
        Assert.Contains(listed["items"]!.AsArray(), c => c!.Id() == id);
        var messages = (await (await colleagueHttp.GetAsync($"/api/conversations/{id}/messages")).OkJsonAsync())["items"]!.AsArray();
        var participants = Assert.Single(messages, m => m!["metadata"]?["notice"]?.GetValue<string>() == "participants")!;
        Assert.Contains("author mentioned colleague", participants["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("author", participants["metadata"]!["byName"]!.GetValue<string>());
        Assert.Equal("colleague", participants["metadata"]!["added"]!.GetValue<string>());
        (await colleagueHttp.PostAsJsonAsync($"/api/conversations/{id}/read", new { })).EnsureSuccessStatusCode();
        // Nobody else hears of it, and the author's self-mention is ignored.
        await fixture.IngestAsync(channelB, "marker-" + Guid.NewGuid().ToString("N"), "marker", "marker");
        await bystanderEvents.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "marker");
        Assert.DoesNotContain(bystanderEvents.All, e => e.Event == "notification" || e.Payload["conversationId"]?.GetValue<long>() == id || e.Payload["id"]?.GetValue<long>() == id);
        Assert.Empty((await NotificationsAsync(http))["items"]!.AsArray());
        await using var db = fixture.Db();
        Assert.Equal([colleague.Id], (await db.QueryAsync<long>("select user_id from conversation_participants where conversation_id = @id", new { id })).ToList());
    }

    [Fact]
    public async Task Mentions_of_unknown_or_inactive_users_and_outside_notes_are_refused_and_change_nothing()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var author = await fixture.CreateUserAsync("au", "manager", channel.Id);
        var gone = await fixture.CreateUserAsync("gone", "manager", channel.Id);
        var peer = await fixture.CreateUserAsync("peer", "manager", channel.Id);
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("update users set is_active = false where id = @id", new { id = gone.Id });
        }
        var id = await ConversationAsync(channel, "Petr");
        using var http = fixture.App.Http(author.Token);
        var before = await fixture.CountAsync("messages");

        await (await NoteAsync(http, id, "hi", 987654)).ProblemAsync(HttpStatusCode.BadRequest);
        await (await NoteAsync(http, id, "hi", gone.Id)).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "public", mentionUserIds = new[] { peer.Id } }))
            .ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(before, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("notifications"));
        Assert.Equal(0, await fixture.CountAsync("conversation_participants"));
    }

    [Fact]
    public async Task Someone_who_cannot_see_the_conversation_cannot_mention_in_it()
    {
        var channelA = await fixture.CreateApiChannelAsync(name: "A");
        var channelB = await fixture.CreateApiChannelAsync(name: "B");
        var outsider = await fixture.CreateUserAsync("outsider", "manager", channelB.Id);
        var friend = await fixture.CreateUserAsync("friend", "manager", channelB.Id);
        var id = await ConversationAsync(channelA, "Anna");
        using var http = fixture.App.Http(outsider.Token);

        await (await NoteAsync(http, id, "let me in", friend.Id, outsider.Id)).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(0, await fixture.CountAsync("conversation_participants"));
        Assert.Equal(0, await fixture.CountAsync("notifications"));
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.App.Http(friend.Token).GetAsync($"/api/conversations/{id}")).StatusCode);
    }

    [Fact]
    public async Task Notices_page_by_cursor_and_are_marked_read_by_id_or_all_only_for_their_owner()
    {
        var owner = await fixture.CreateUserAsync("owner", "manager");
        var other = await fixture.CreateUserAsync("other", "manager");
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("""
                insert into notifications (user_id, kind, text, dedupe_key, created_at)
                select @owner, 'automation', 'notice ' || i, 'test:' || i, now() - make_interval(secs => 100 - i) from generate_series(1, 35) i;
                insert into notifications (user_id, kind, text, dedupe_key) values (@other, 'automation', 'someone else''s', 'test:x');
                """, new { owner = owner.Id, other = other.Id });
        }
        using var http = fixture.App.Http(owner.Token);
        using var otherHttp = fixture.App.Http(other.Token);

        var first = await NotificationsAsync(http);
        var firstItems = first["items"]!.AsArray();
        Assert.Equal(30, firstItems.Count);
        Assert.Equal("notice 35", firstItems[0]!["text"]!.GetValue<string>());
        Assert.Equal(35, first["unread"]!.GetValue<long>());
        var second = await NotificationsAsync(http, first["nextCursor"]!.GetValue<string>());
        Assert.Equal(5, second["items"]!.AsArray().Count);
        Assert.Null(second["nextCursor"]);
        await (await http.GetAsync("/api/notifications?cursor=not-a-cursor")).ProblemAsync(HttpStatusCode.BadRequest);

        var othersId = (await NotificationsAsync(otherHttp))["items"]![0]!.Id();
        var afterOne = await (await http.PostAsJsonAsync("/api/notifications/read", new { ids = new[] { firstItems[0]!.Id(), othersId } })).OkJsonAsync();
        Assert.Equal(34, afterOne["unread"]!.GetValue<long>());
        Assert.NotNull((await NotificationsAsync(http))["items"]![0]!["readAt"]);
        var others = await NotificationsAsync(otherHttp);
        Assert.Null(others["items"]![0]!["readAt"]);
        Assert.Equal(1, others["unread"]!.GetValue<long>());
        Assert.Single(others["items"]!.AsArray());

        await (await http.PostAsJsonAsync("/api/notifications/read", new { })).ProblemAsync(HttpStatusCode.BadRequest);
        var all = await (await http.PostAsJsonAsync("/api/notifications/read", new { all = true })).OkJsonAsync();
        Assert.Equal(0, all["unread"]!.GetValue<long>());
        Assert.Equal(1, (await NotificationsAsync(otherHttp))["unread"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_SLA_breach_notifies_supervisors_and_admins_once_and_no_manager()
    {
        var secret = "sla-secret-" + Guid.NewGuid().ToString("N");
        var created = await fixture.CreateChannelAsync("api", "SLA", new JsonObject
        {
            ["secret"] = secret, ["routing"] = new JsonObject { ["mode"] = "manual" }, ["sla"] = new JsonObject { ["firstResponseSeconds"] = 1 },
        });
        var channel = new AppFixture.ApiChannel(created.Id(), secret);
        var supervisor = await fixture.CreateUserAsync("slasup", "supervisor");
        var manager = await fixture.CreateUserAsync("slaman", "manager", channel.Id);
        await using var hub = await fixture.ConnectHubAsync(supervisor.Token);
        var events = new HubRecorder(hub);

        var id = await ConversationAsync(channel, "Waiting Customer");

        var pushed = await events.WaitForAsync("notification", n => n["kind"]!.GetValue<string>() == "sla_breach");
        Assert.Equal(id, pushed["conversationId"]!.GetValue<long>());
        Assert.Contains("Waiting Customer", pushed["text"]!.GetValue<string>());
        Assert.Equal("Waiting Customer", pushed["data"]!["contact"]!.GetValue<string>());
        Assert.Equal("SLA", pushed["data"]!["channel"]!.GetValue<string>());
        Assert.Equal("first_response", pushed["data"]!["sla"]!.GetValue<string>());
        Assert.True(pushed["data"]!["waitedMinutes"]!.GetValue<long>() >= 0);
        Assert.Null(pushed["data"]!["assignee"]);
        await events.WaitForAsync("slaBreached");
        using var admin = fixture.App.Http(fixture.AdminToken);
        Assert.Single((await NotificationsAsync(admin))["items"]!.AsArray());
        Assert.Empty((await NotificationsAsync(fixture.App.Http(manager.Token)))["items"]!.AsArray());
        Assert.Equal(2, await fixture.CountAsync("notifications where kind = 'sla_breach'"));
    }

    [Fact]
    public async Task Colleagues_lists_active_colleagues_by_name_with_nothing_else()
    {
        var me = await fixture.CreateUserAsync("finder", "manager");
        await fixture.CreateUserAsync("marina", "manager");
        var gone = await fixture.CreateUserAsync("mariya", "manager");
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("update users set is_active = false where id = @id", new { id = gone.Id });
        }
        using var http = fixture.App.Http(me.Token);

        var found = await (await http.GetAsync("/api/colleagues?q=mar")).OkArrayAsync();

        var one = Assert.Single(found)!.AsObject();
        Assert.Equal("marina", one["name"]!.GetValue<string>());
        Assert.Equal(["id", "name"], one.Select(p => p.Key).Order().ToList());
        // A long search whose 100th character is a LIKE wildcard: cut, then escaped (never a pattern ending in its escape).
        Assert.Empty(await (await http.GetAsync("/api/colleagues?q=" + new string('x', 99) + "%25")).OkArrayAsync());
    }
}
