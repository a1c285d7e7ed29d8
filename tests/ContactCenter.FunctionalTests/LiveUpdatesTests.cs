using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Realtime;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests;

public sealed class LiveUpdatesTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_inbound_message_is_pushed_with_its_conversation_and_counters()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("live", "manager", channel.Id);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var events = new HubRecorder(hub);

        var result = await fixture.IngestAsync(channel, "l-1", "cust", "Здравствуйте 🙂", "Пётр");

        var message = await events.WaitForAsync("messageCreated");
        Assert.Equal(result["messageId"]!.GetValue<long>(), message["id"]!.GetValue<long>());
        Assert.Equal("inbound", message["direction"]!.GetValue<string>());
        Assert.Equal("Здравствуйте 🙂", message["text"]!.GetValue<string>());
        Assert.Equal("contact", message["sender"]!["type"]!.GetValue<string>());
        Assert.Equal("Пётр", message["sender"]!["name"]!.GetValue<string>());
        Assert.EndsWith("Z", message["createdAt"]!.GetValue<string>());
        var conversation = await events.WaitForAsync("conversationUpdated");
        Assert.Equal(1, conversation["unreadCount"]!.GetValue<long>());
        Assert.Equal("Пётр", conversation["contact"]!["name"]!.GetValue<string>());
        Assert.NotNull(conversation["waitingSince"]);
        var counters = await events.WaitForAsync("countersChanged", c => c["unreadMessages"]!.GetValue<long>() == 1);
        Assert.Equal(1, counters["unassigned"]!.GetValue<long>());
    }

    [Fact]
    public async Task Unread_counts_are_per_user_and_uncapped_and_reading_on_one_device_clears_the_others()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var reader = await fixture.CreateUserAsync("reader", "manager", channel.Id);
        var other = await fixture.CreateUserAsync("other", "manager", channel.Id);
        for (var i = 0; i < 120; i++)
        {
            await fixture.IngestAsync(channel, $"u-{i}", "chatty", $"message {i}");
        }
        await fixture.IngestAsync(channel, "u-x", "second-customer", "hello");
        await using var phone = await fixture.ConnectHubAsync(reader.Token);
        await using var laptop = await fixture.ConnectHubAsync(reader.Token);
        var phoneEvents = new HubRecorder(phone);
        var laptopEvents = new HubRecorder(laptop);
        using var http = fixture.App.Http(reader.Token);

        var before = await http.GetFromJsonAsync<JsonObject>("/api/counters");
        Assert.Equal(121, before!["unreadMessages"]!.GetValue<long>());
        Assert.Equal(2, before["unreadConversations"]!.GetValue<long>());
        var list = await http.GetFromJsonAsync<JsonObject>("/api/conversations?view=unassigned");
        var chatty = list!["items"]!.AsArray().Single(i => i!["unreadCount"]!.GetValue<long>() == 120)!;

        await laptop.InvokeAsync("MarkRead", chatty["id"]!.GetValue<long>(), (long?)null);

        var cleared = await phoneEvents.WaitForAsync("countersChanged", c => c["unreadMessages"]!.GetValue<long>() == 1);
        Assert.Equal(1, cleared["unreadConversations"]!.GetValue<long>());
        var summary = await phoneEvents.WaitForAsync("conversationUpdated", c => c["id"]!.GetValue<long>() == chatty["id"]!.GetValue<long>());
        Assert.Equal(0, summary["unreadCount"]!.GetValue<long>());
        await laptopEvents.WaitForAsync("countersChanged", c => c["unreadMessages"]!.GetValue<long>() == 1);
        using var otherHttp = fixture.App.Http(other.Token);
        var othersCounters = await otherHttp.GetFromJsonAsync<JsonObject>("/api/counters");
        Assert.Equal(121, othersCounters!["unreadMessages"]!.GetValue<long>());
    }

    [Fact]
    public async Task Counters_pushed_for_a_burst_of_messages_end_exact_for_every_user()
    {
        var channel = await fixture.CreateApiChannelAsync();
        // The marker channel's one message, after the burst, is pushed to all three: what the test awaits instead of a sleep.
        var marker = await fixture.CreateApiChannelAsync(name: "Marker");
        var member = await fixture.CreateUserAsync("burst", "manager", channel.Id, marker.Id);
        var admin = await fixture.CreateUserAsync("burst-admin", "admin");
        var outsider = await fixture.CreateUserAsync("burst-outsider", "manager", marker.Id);
        var first = await fixture.IngestAsync(channel, "b-0", "burst-1", "first");
        using (var http = fixture.App.Http(member.Token))
        {
            (await http.PostAsJsonAsync($"/api/conversations/{first["conversationId"]!.GetValue<long>()}/read", new { })).EnsureSuccessStatusCode();
        }
        await using var memberHub = await fixture.ConnectHubAsync(member.Token);
        await using var adminHub = await fixture.ConnectHubAsync(admin.Token);
        await using var outsiderHub = await fixture.ConnectHubAsync(outsider.Token);
        var memberEvents = new HubRecorder(memberHub);
        var adminEvents = new HubRecorder(adminHub);
        var outsiderEvents = new HubRecorder(outsiderHub);

        // 20 concurrent messages in two conversations; the member had read the first message, the admin nothing.
        await Task.WhenAll(Enumerable.Range(1, 20).Select(i => fixture.IngestAsync(channel, $"b-{i}", $"burst-{1 + (i % 2)}", $"m{i}")));

        var mine = await memberEvents.WaitForAsync("countersChanged", c => c["unreadMessages"]!.GetValue<long>() == 20);
        Assert.Equal(2, mine["unreadConversations"]!.GetValue<long>());
        Assert.Equal(2, mine["unassigned"]!.GetValue<long>());
        var admins = await adminEvents.WaitForAsync("countersChanged", c => c["unreadMessages"]!.GetValue<long>() == 21);
        Assert.Equal(2, admins["unreadConversations"]!.GetValue<long>());
        await fixture.IngestAsync(marker, "b-marker", "marker-customer", "after the burst");
        await memberEvents.WaitForAsync("countersChanged", c => c["unreadMessages"]!.GetValue<long>() == 21);
        await adminEvents.WaitForAsync("countersChanged", c => c["unreadMessages"]!.GetValue<long>() == 22);
        await outsiderEvents.WaitForAsync("countersChanged", c => c["unreadMessages"]!.GetValue<long>() == 1);

        // Pushes reach a connection in order: the burst's last word came before the marker's, and no older value overtook it.
        static List<long> Unread(HubRecorder events) => events.Of("countersChanged").Select(c => c["unreadMessages"]!.GetValue<long>()).ToList();
        static void EndsExactThenMarker(List<long> values, long exact)
        {
            var after = values.SkipWhile(v => v != exact).ToList();
            Assert.Equal(after.Order(), after);
            Assert.Equal([exact, exact + 1], after.Distinct());
        }
        EndsExactThenMarker(Unread(memberEvents), 20);
        EndsExactThenMarker(Unread(adminEvents), 21);
        Assert.All(Unread(outsiderEvents), v => Assert.Equal(1, v)); // nothing of the burst
    }

    [Fact]
    public async Task Reading_up_to_a_message_leaves_the_later_ones_unread()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var reader = await fixture.CreateUserAsync("partial", "manager", channel.Id);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await fixture.IngestAsync(channel, $"p-{i}", "cust", $"m{i}"))["messageId"]!.GetValue<long>());
        }
        var conversationId = (await fixture.IngestAsync(channel, "p-5", "cust", "m5"))["conversationId"]!.GetValue<long>();
        using var http = fixture.App.Http(reader.Token);

        (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/read", new { upToMessageId = ids[2] })).EnsureSuccessStatusCode();

        var conversation = await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}");
        Assert.Equal(3, conversation!["unreadCount"]!.GetValue<long>());

        // A message of another conversation, or none, is not a read mark here (it was stored as one): 400 by REST, an error
        // by the hub, and the mark stays where it was.
        var other = (await fixture.IngestAsync(channel, "p-other", "another-cust", "elsewhere"))["messageId"]!.GetValue<long>();
        await using var hub = await fixture.ConnectHubAsync(reader.Token);
        foreach (var foreign in new[] { other, 987654321L })
        {
            await (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/read", new { upToMessageId = foreign })).ProblemAsync(System.Net.HttpStatusCode.BadRequest);
            var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.InvokeAsync("MarkRead", conversationId, foreign));
            Assert.Contains("not a message of this conversation", refused.Message, StringComparison.Ordinal);
        }
        await using var db = fixture.Db();
        Assert.Equal(ids[2], await db.ExecuteScalarAsync<long>(
            "select last_read_message_id from conversation_reads where conversation_id = @conversationId and user_id = @user", new { conversationId, user = reader.Id }));
        Assert.Equal(3, (await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}"))!["unreadCount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Conversation_and_message_pages_are_keyset_paginated()
    {
        var channel = await fixture.CreateApiChannelAsync();
        for (var i = 0; i < 7; i++)
        {
            await fixture.IngestAsync(channel, $"k-{i}", $"customer-{i}", $"hello {i}");
        }
        for (var i = 0; i < 5; i++)
        {
            await fixture.IngestAsync(channel, $"km-{i}", "customer-0", $"again {i}");
        }
        using var http = fixture.App.Http(fixture.AdminToken);

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await http.GetFromJsonAsync<JsonObject>($"/api/conversations?limit=3{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            seen.AddRange(page!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        Assert.Equal(7, seen.Count);
        Assert.Equal(7, seen.Distinct().Count());

        var busiest = seen[0]; // customer-0 wrote last, so it is first
        var messages = new List<string>();
        cursor = null;
        do
        {
            var page = await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{busiest}/messages?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            messages.AddRange(page!["items"]!.AsArray().Select(i => i!["text"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        Assert.Equal(["again 4", "again 3", "again 2", "again 1", "again 0", "hello 0"], messages);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync("/api/conversations?cursor=@@@")).StatusCode);
    }

    [Fact]
    public async Task A_push_whose_request_is_cancelled_midway_still_reaches_the_others_and_keeps_their_connections()
    {
        // The person who acted closes the tab while the push reads the counters (held here by a lock on a table only the
        // counters read): the others' sockets and counters are not theirs to cancel.
        var channel = await fixture.CreateApiChannelAsync(name: "Cancelled push " + Guid.NewGuid().ToString("N")[..6]);
        var boris = await fixture.CreateUserAsync("cp-boris-" + Guid.NewGuid().ToString("N")[..8], "manager", channel.Id);
        await using var hub = await fixture.ConnectHubAsync(boris.Token);
        var closed = false;
        hub.Closed += _ =>
        {
            closed = true;
            return Task.CompletedTask;
        };
        var heard = new HubRecorder(hub);
        var conversation = (await fixture.IngestAsync(channel, "cp-1", "cp-cust", "hello"))["conversationId"]!.GetValue<long>();
        await heard.WaitForAsync("countersChanged", c => c["unassigned"]!.GetValue<long>() == 1);
        await Task.Delay(CounterPushes.Window * 4); // the ingest's window is over: the next push reads its counters itself

        await using var db = fixture.Db();
        await db.OpenAsync();
        await db.ExecuteAsync("update conversations set assignee_id = @boris where id = @conversation", new { boris = boris.Id, conversation });
        await using var locked = await db.BeginTransactionAsync();
        await db.ExecuteAsync("lock table activities in access exclusive mode", transaction: locked);
        using var request = new CancellationTokenSource();
        var push = fixture.App.Services.GetRequiredService<InboxNotifier>().ConversationChangedAsync(conversation, [], request.Token);
        await using (var watch = fixture.Db())
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (await watch.ExecuteScalarAsync<long>(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%activities%' and pid <> pg_backend_pid()") == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the push never reached the counters read");
                await Task.Delay(20);
            }
        }
        await request.CancelAsync();
        await locked.RollbackAsync();
        try
        {
            await push;
        }
        catch (OperationCanceledException)
        {
            // The caller's own part may stop; what it sent to others must not.
        }

        await heard.WaitForAsync("conversationUpdated", c => c.Id() == conversation && c["assignee"]?["id"]?.GetValue<long>() == boris.Id);
        await heard.WaitForAsync("countersChanged", c => c["mine"]!.GetValue<long>() == 1 && c["unassigned"]!.GetValue<long>() == 0);
        Assert.False(closed);
        Assert.Equal(HubConnectionState.Connected, hub.State);
    }
}
