using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>The supervisor's queue (GET /api/stats/queue): who waits for an answer, and who is only without an owner.</summary>
public sealed class QueueFeedTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_answered_conversation_that_lost_its_owner_is_in_the_queue_but_nobody_waits_on_it()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("queue-m", "manager", channel.Id);
        var waiting = (await fixture.IngestAsync(channel, "q-1", "cust-wait", "Where is my order?", "Вера Ждущая"))["conversationId"]!.GetValue<long>();
        var answered = (await fixture.IngestAsync(channel, "q-2", "cust-answered", "Do you deliver to Kazan?", "Олег Отвеченный"))["conversationId"]!.GetValue<long>();
        await using (var db = fixture.Db())
        {
            // Opened an hour ago: counted "since it was opened", it would be the longest wait.
            await db.ExecuteAsync("update conversations set created_at = created_at - interval '1 hour' where id = @answered", new { answered });
        }
        using (var asManager = fixture.App.Http(manager.Token))
        {
            (await asManager.PostAsJsonAsync($"/api/conversations/{answered}/assign", new { userId = manager.Id })).EnsureSuccessStatusCode();
            (await asManager.PostAsJsonAsync($"/api/conversations/{answered}/messages", new { text = "Yes, in 2-3 days." })).EnsureSuccessStatusCode();
        }
        using var admin = fixture.App.Http(fixture.AdminToken);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/conversations/{answered}/assign", new { userId = (long?)null })).StatusCode);

        var queue = (await admin.GetFromJsonAsync<JsonObject>("/api/stats/queue"))!;
        var items = queue["waiting"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Equal([waiting, answered], items.Select(i => i["conversationId"]!.GetValue<long>()));
        Assert.NotNull(items[0]["waitingSince"]);
        Assert.Null(items[1]["waitingSince"]);
        Assert.Equal(0, items[1]["waitingSeconds"]!.GetValue<long>());
        Assert.Equal("Yes, in 2-3 days.", items[1]["preview"]!.GetValue<string>());
        Assert.Equal(items[0]["waitingSeconds"]!.GetValue<long>(), queue["longestWaitSeconds"]!.GetValue<long>());
        Assert.InRange(queue["longestWaitSeconds"]!.GetValue<long>(), 0, 120);
    }

    [Fact]
    public async Task The_queue_shows_each_conversations_last_message_however_it_was_stored_and_a_private_note_does_not_change_it()
    {
        // The preview is kept on the conversation (migration 1147) by every statement that moves its last message.
        var channel = await fixture.CreateApiChannelAsync();
        var conversationId = (await fixture.IngestAsync(channel, "pv-0", "pv-cust", "Здравствуйте", "Анна Превью"))["conversationId"]!.GetValue<long>();
        using var admin = fixture.App.Http(fixture.AdminToken);
        async Task<string> PreviewAsync()
        {
            var queue = (await admin.GetFromJsonAsync<JsonObject>("/api/stats/queue"))!;
            return queue["waiting"]!.AsArray().Single(i => i!["conversationId"]!.GetValue<long>() == conversationId)!["preview"]!.GetValue<string>();
        }
        Assert.Equal("Здравствуйте", await PreviewAsync());

        // A burst from the customer is stored in batches (group commit): the preview is the one stored last.
        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => fixture.IngestAsync(channel, $"pv-burst-{i}", "pv-cust", $"Сообщение номер {i}")));
        await using (var db = fixture.Db())
        {
            var last = await db.QuerySingleAsync<string>(
                "select text from messages where conversation_id = @conversationId order by id desc limit 1", new { conversationId });
            Assert.Equal(last, await PreviewAsync());
        }

        // A long message: its first 140 characters (characters, not bytes: Russian text).
        var text = string.Concat(Enumerable.Repeat("Доставка в Казань и в Самару? ", 12));
        await fixture.IngestAsync(channel, "pv-long", "pv-cust", text);
        Assert.Equal(text[..140], await PreviewAsync());

        // A reply (an admin's reply does not take the conversation: it stays in the queue, answered).
        (await admin.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "Да, 350 ₽, 2–3 дня." })).EnsureSuccessStatusCode();
        Assert.Equal("Да, 350 ₽, 2–3 дня.", await PreviewAsync());
        (await admin.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "VIP, be nice", @private = true })).EnsureSuccessStatusCode();
        Assert.Equal("Да, 350 ₽, 2–3 дня.", await PreviewAsync());

        await using (var db = fixture.Db())
        {
            Assert.Equal(0, await db.ExecuteScalarAsync<long>("""
                select count(*) from conversations c left join messages m on m.id = c.last_message_id
                where coalesce(c.last_preview, '') <> coalesce(left(m.text, 140), '')
                """));
        }
    }

    [Fact]
    public async Task Supervisors_reading_the_queue_at_once_share_reads_and_each_answer_has_what_was_committed_before_its_request()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var database = new Npgsql.NpgsqlConnectionStringBuilder(fixture.Postgres).Database;
        var queueReads = 0;
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == "Npgsql",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
            ActivityStopped = a =>
            {
                if (Equals(a.GetTagItem("db.namespace"), database) && a.GetTagItem("db.query.text") is string sql
                    && sql.Contains("as channel_name", StringComparison.Ordinal) && sql.Contains("limit 500", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref queueReads);
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var admin = fixture.App.Http(fixture.AdminToken);
        static HashSet<long> Waiting(JsonObject queue) => queue["waiting"]!.AsArray().Select(w => w!["conversationId"]!.GetValue<long>()).ToHashSet();

        // Conversations keep arriving while 8 readers at a time ask for the queue: each answer holds every conversation
        // stored before its request was sent (a shared read never answers with a state older than the request).
        var committed = new List<long>();
        var answers = new List<(Task<JsonObject?> Answer, long[] Expected)>();
        for (var i = 0; i < 12; i++)
        {
            committed.Add((await fixture.IngestAsync(channel, $"shared-{i}", $"shared-cust-{i}", "Is anyone there?"))["conversationId"]!.GetValue<long>());
            var expected = committed.ToArray();
            answers.AddRange(Enumerable.Range(0, 8).Select(_ => (admin.GetFromJsonAsync<JsonObject>("/api/stats/queue"), expected)));
        }
        foreach (var (answer, expected) in answers)
        {
            Assert.Superset(expected.ToHashSet(), Waiting((await answer)!));
        }
        Assert.InRange(queueReads, 1, answers.Count - 1); // shared: fewer reads than requests

        // A lone request is answered as before; a manager is refused as before.
        var last = (await admin.GetFromJsonAsync<JsonObject>("/api/stats/queue"))!;
        Assert.Superset(committed.ToHashSet(), Waiting(last));
        using var manager = fixture.App.Http((await fixture.CreateUserAsync("queue-shared-m", "manager", channel.Id)).Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync("/api/stats/queue")).StatusCode);
    }

    [Fact]
    public async Task A_manager_is_online_in_the_supervisors_live_queue_until_their_last_tab_closes()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("queue-tabs-m", "manager", channel.Id);
        var supervisor = await fixture.CreateUserAsync("queue-tabs-s", "supervisor");
        await using var connection = await fixture.ConnectHubAsync(supervisor.Token);
        var hub = new HubRecorder(connection);
        bool Online(JsonObject queue) => queue["online"]!.AsArray().Any(u => u!["userId"]!.GetValue<long>() == manager.Id);

        var first = await fixture.ConnectHubAsync(manager.Token);
        var second = await fixture.ConnectHubAsync(manager.Token);
        await hub.WaitForAsync("queueChanged", Online);
        await first.DisposeAsync();
        using (var admin = fixture.App.Http(fixture.AdminToken))
        {
            Assert.True(Online((await admin.GetFromJsonAsync<JsonObject>("/api/stats/queue"))!)); // one tab is still open
        }
        var before = hub.Of("queueChanged").Count();
        await second.DisposeAsync();
        // The last one closed: pushed (a push after this point, not an earlier one), not left for a reload.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!hub.Of("queueChanged").Skip(before).Any(q => !Online(q)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Contains(hub.Of("queueChanged").Skip(before), q => !Online(q));
    }

    [Fact]
    public async Task Taking_a_conversation_out_of_the_queue_and_putting_it_back_is_pushed_to_supervisors_live()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("queue-live-m", "manager", channel.Id);
        var supervisor = await fixture.CreateUserAsync("queue-live-s", "supervisor");
        var id = (await fixture.IngestAsync(channel, "q-live", "cust-live", "Anyone?", "Лидия"))["conversationId"]!.GetValue<long>();
        await using var connection = await fixture.ConnectHubAsync(supervisor.Token);
        var hub = new HubRecorder(connection);
        static bool Holds(JsonObject queue, long id) => queue["waiting"]!.AsArray().Any(w => w!["conversationId"]!.GetValue<long>() == id);

        using var admin = fixture.App.Http(fixture.AdminToken);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = manager.Id })).StatusCode);
        await hub.WaitForAsync("queueChanged", q => !Holds(q, id));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = (long?)null })).StatusCode);
        var back = await hub.WaitForAsync("queueChanged", q => Holds(q, id));
        Assert.NotNull(back["waiting"]!.AsArray().Single(w => w!["conversationId"]!.GetValue<long>() == id)!["waitingSince"]); // still unanswered
    }

    [Fact]
    public async Task A_waiting_conversation_answered_resolved_or_snoozed_leaves_the_supervisors_live_queue()
    {
        // Only assignment pushed the queue: an answered, resolved or snoozed conversation stayed on the live page, its wait
        // still counting (outside review, session 29).
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("queue-ans-m", "manager", channel.Id);
        var supervisor = await fixture.CreateUserAsync("queue-ans-s", "supervisor");
        var answered = (await fixture.IngestAsync(channel, "qa-1", "cust-a", "Answer me"))["conversationId"]!.GetValue<long>();
        var resolved = (await fixture.IngestAsync(channel, "qa-2", "cust-b", "Resolve me"))["conversationId"]!.GetValue<long>();
        var snoozed = (await fixture.IngestAsync(channel, "qa-3", "cust-c", "Snooze me"))["conversationId"]!.GetValue<long>();
        var staffAnswered = (await fixture.IngestAsync(channel, "qa-4", "cust-d", "Admin answers me"))["conversationId"]!.GetValue<long>();
        await using var connection = await fixture.ConnectHubAsync(supervisor.Token);
        var hub = new HubRecorder(connection);
        static JsonObject? Item(JsonObject queue, long id) =>
            queue["waiting"]!.AsArray().Select(w => w!.AsObject()).FirstOrDefault(w => w["conversationId"]!.GetValue<long>() == id);
        using var asManager = fixture.App.Http(manager.Token);
        using var admin = fixture.App.Http(fixture.AdminToken);

        (await asManager.PostAsJsonAsync($"/api/conversations/{answered}/messages", new { text = "Here I am" })).EnsureSuccessStatusCode();
        await hub.WaitForAsync("queueChanged", q => Item(q, answered) is null);
        (await admin.PostAsJsonAsync($"/api/conversations/{resolved}/status", new { status = "resolved" })).EnsureSuccessStatusCode();
        await hub.WaitForAsync("queueChanged", q => Item(q, resolved) is null);
        (await admin.PostAsJsonAsync($"/api/conversations/{snoozed}/snooze", new { until = DateTimeOffset.UtcNow.AddDays(1) })).EnsureSuccessStatusCode();
        await hub.WaitForAsync("queueChanged", q => Item(q, snoozed) is null);
        // Staff answering does not take it: it stays in the queue, no longer waiting.
        (await admin.PostAsJsonAsync($"/api/conversations/{staffAnswered}/messages", new { text = "Admin here" })).EnsureSuccessStatusCode();
        await hub.WaitForAsync("queueChanged", q => Item(q, staffAnswered) is { } item && item["waitingSince"] is null);
    }
}
