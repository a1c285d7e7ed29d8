using System.Net.Http.Json;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Inbound;
using ContactCenter.Api.Realtime;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// Issue #19, audiences without a query per push: each node keeps a copy of who may see what and checks it in the round
/// trip that reads the summaries. Two copies (two nodes) follow random changes written straight to PostgreSQL, as another
/// node would write them, and after every change each push audience (with the summaries, and alone) must equal the SQL
/// rule's answer.
/// </summary>
public sealed class AudienceDirectoryTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_read_pushes_the_readers_summary_only_while_the_reader_may_still_see_the_conversation()
    {
        var channel = await fixture.CreateApiChannelAsync(name: "Read race " + Guid.NewGuid().ToString("N")[..6]);
        var anna = await fixture.CreateUserAsync("rr-anna-" + Guid.NewGuid().ToString("N")[..8], "manager", channel.Id);
        var boris = await fixture.CreateUserAsync("rr-boris-" + Guid.NewGuid().ToString("N")[..8], "manager", channel.Id);
        var handed = (await fixture.IngestAsync(channel, "rr-1", "cust-1", "hello"))["conversationId"]!.GetValue<long>();
        var kept = (await fixture.IngestAsync(channel, "rr-2", "cust-2", "hi"))["conversationId"]!.GetValue<long>();
        await using var hub = await fixture.ConnectHubAsync(anna.Token);
        var heard = new HubRecorder(hub);
        // Anna's read passed its check, then the conversation went to Boris: what the read pushes after that.
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("update conversations set assignee_id = @boris where id = @handed", new { boris = boris.Id, handed });
        }
        var pushes = fixture.App.Services.GetRequiredService<InboxNotifier>();
        await pushes.ReadChangedAsync(handed, anna.Id, CancellationToken.None);
        await pushes.ReadChangedAsync(kept, anna.Id, CancellationToken.None); // the marker: pushed after, so heard after

        await heard.WaitForAsync("conversationUpdated", c => c["id"]!.GetValue<long>() == kept);
        Assert.DoesNotContain(heard.Of("conversationUpdated"), c => c["id"]!.GetValue<long>() == handed);
    }

    [Fact]
    public async Task A_removal_that_goes_out_after_the_conversation_came_back_skips_whoever_sees_it_again()
    {
        // Two quick hand-overs, A -> B by one person and B -> A by another: the first one's former viewers (Anna) were read
        // before the second committed, so by the time its removal goes out Anna has the conversation again. The removal
        // carries the newest revision, so a screen that took it would drop the conversation for good.
        var channel = await fixture.CreateApiChannelAsync(name: "Bounce " + Guid.NewGuid().ToString("N")[..6]);
        var anna = await fixture.CreateUserAsync("bn-anna-" + Guid.NewGuid().ToString("N")[..8], "manager", channel.Id);
        var boris = await fixture.CreateUserAsync("bn-boris-" + Guid.NewGuid().ToString("N")[..8], "manager", channel.Id);
        var bounced = (await fixture.IngestAsync(channel, "bn-1", "bn-cust-1", "hello"))["conversationId"]!.GetValue<long>();
        var kept = (await fixture.IngestAsync(channel, "bn-2", "bn-cust-2", "hi"))["conversationId"]!.GetValue<long>();
        using var admin = fixture.App.Http(fixture.AdminToken);
        (await admin.PostAsJsonAsync($"/api/conversations/{bounced}/assign", new { userId = anna.Id })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/conversations/{kept}/assign", new { userId = anna.Id })).EnsureSuccessStatusCode();
        await using var annaHub = await fixture.ConnectHubAsync(anna.Token);
        await using var borisHub = await fixture.ConnectHubAsync(boris.Token);
        var annaHeard = new HubRecorder(annaHub);
        var borisHeard = new HubRecorder(borisHub);

        // The late removal names both: Anna (who has it again) and Boris (who does not see it: it is assigned to Anna).
        var pushes = fixture.App.Services.GetRequiredService<InboxNotifier>();
        await pushes.RemoveAsync(bounced, [anna.Id, boris.Id], CancellationToken.None);
        await pushes.ReadChangedAsync(kept, anna.Id, CancellationToken.None); // the marker: pushed after, so heard after

        var removed = await borisHeard.WaitForAsync("conversationRemoved", r => r.Id() == bounced);
        Assert.Equal(anna.Id, removed["assignee"]!.Id());
        await annaHeard.WaitForAsync("conversationUpdated", c => c.Id() == kept);
        Assert.DoesNotContain(annaHeard.Of("conversationRemoved"), r => r.Id() == bounced);
        using var annaHttp = fixture.App.Http(anna.Token);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await annaHttp.GetAsync($"/api/conversations/{bounced}")).StatusCode);
    }

    [Fact]
    public async Task One_push_gives_each_viewer_their_own_unread_count_equal_to_what_REST_then_says()
    {
        // The push reads the summary once and each viewer's read position (not one joined row per viewer): Anna has read
        // the first two messages, Boris none, the admin none; the third message's push must carry 1, 3 and 3.
        var channel = await fixture.CreateApiChannelAsync(name: "Unread each " + Guid.NewGuid().ToString("N")[..6]);
        var anna = await fixture.CreateUserAsync("ue-anna-" + Guid.NewGuid().ToString("N")[..8], "manager", channel.Id);
        var boris = await fixture.CreateUserAsync("ue-boris-" + Guid.NewGuid().ToString("N")[..8], "manager", channel.Id);
        var id = (await fixture.IngestAsync(channel, "ue-1", "ue-cust", "one"))["conversationId"]!.GetValue<long>();
        await fixture.IngestAsync(channel, "ue-2", "ue-cust", "two");
        using var annaHttp = fixture.App.Http(anna.Token);
        using var borisHttp = fixture.App.Http(boris.Token);
        using var adminHttp = fixture.App.Http(fixture.AdminToken);
        (await annaHttp.PostAsJsonAsync($"/api/conversations/{id}/read", new { })).EnsureSuccessStatusCode();
        await using var annaHub = await fixture.ConnectHubAsync(anna.Token);
        await using var borisHub = await fixture.ConnectHubAsync(boris.Token);
        await using var adminHub = await fixture.ConnectHubAsync(fixture.AdminToken);
        var heard = new[] { new HubRecorder(annaHub), new HubRecorder(borisHub), new HubRecorder(adminHub) };

        await fixture.IngestAsync(channel, "ue-3", "ue-cust", "three");

        var expected = new long[] { 1, 3, 3 };
        var clients = new[] { annaHttp, borisHttp, adminHttp };
        for (var i = 0; i < 3; i++)
        {
            var pushed = await heard[i].WaitForAsync("conversationUpdated", c => c.Id() == id && c["lastMessage"]?["preview"]?.GetValue<string>() == "three");
            Assert.Equal(expected[i], pushed["unreadCount"]!.GetValue<long>());
            var rest = await (await clients[i].GetAsync($"/api/conversations/{id}")).OkJsonAsync();
            Assert.Equal(expected[i], rest["unreadCount"]!.GetValue<long>());
            Assert.Equal(rest.Id("revision"), pushed.Id("revision"));
        }
    }

    [Fact]
    public async Task A_summary_read_before_a_hand_over_has_a_smaller_revision_than_the_removal_that_follows_it()
    {
        var channel = await fixture.CreateApiChannelAsync(name: "Revision " + Guid.NewGuid().ToString("N")[..6]);
        var anna = await fixture.CreateUserAsync("rv-anna-" + Guid.NewGuid().ToString("N")[..8], "manager", channel.Id);
        var boris = await fixture.CreateUserAsync("rv-boris-" + Guid.NewGuid().ToString("N")[..8], "manager", channel.Id);
        var id = (await fixture.IngestAsync(channel, "rv-1", "rv-cust", "hello"))["conversationId"]!.GetValue<long>();
        using var annaHttp = fixture.App.Http(anna.Token);
        using var borisHttp = fixture.App.Http(boris.Token);
        (await annaHttp.PostJsonAsync($"/api/conversations/{id}/assign", new { userId = anna.Id })).EnsureSuccessStatusCode();
        // What a read taken now would push: Anna's summary as REST and the hub give it, before the hand-over.
        var before = (await (await annaHttp.GetAsync($"/api/conversations/{id}")).OkJsonAsync()).Id("revision");
        var listed = (await (await annaHttp.GetAsync("/api/conversations?view=mine")).OkJsonAsync())["items"]!.AsArray()
            .Single(c => c!.Id() == id)!.Id("revision");
        Assert.Equal(before, listed);

        await using var annaHub = await fixture.ConnectHubAsync(anna.Token);
        await using var borisHub = await fixture.ConnectHubAsync(boris.Token);
        var annaHeard = new HubRecorder(annaHub);
        var borisHeard = new HubRecorder(borisHub);
        (await annaHttp.PostJsonAsync($"/api/conversations/{id}/assign", new { userId = boris.Id })).EnsureSuccessStatusCode();

        var removed = await annaHeard.WaitForAsync("conversationRemoved", r => r.Id() == id);
        Assert.Equal(boris.Id, removed["assignee"]!.Id());
        Assert.True(removed.Id("revision") > before, $"the removal's revision {removed.Id("revision")} must be above the earlier summary's {before}");
        var borisSummary = await borisHeard.WaitForAsync("conversationUpdated", c => c.Id() == id && c["assignee"]?.Id() == boris.Id);
        Assert.Equal(removed.Id("revision"), borisSummary.Id("revision"));
        var details = await (await borisHttp.GetAsync($"/api/conversations/{id}")).OkJsonAsync();
        Assert.Equal(removed.Id("revision"), details.Id("revision"));

        // A read changes only the reader's unread count, not the conversation's row: the same revision, never refused.
        (await borisHttp.PostAsJsonAsync($"/api/conversations/{id}/read", new { })).EnsureSuccessStatusCode();
        var afterRead = await (await borisHttp.GetAsync($"/api/conversations/{id}")).OkJsonAsync();
        Assert.Equal(removed.Id("revision"), afterRead.Id("revision"));
    }

    [Fact]
    public async Task A_hand_over_that_waited_for_another_tells_the_viewer_the_other_one_added_to_drop_it()
    {
        var channel = await fixture.CreateApiChannelAsync(name: "Double hand-over " + Guid.NewGuid().ToString("N")[..6]);
        var anna = await fixture.CreateUserAsync("dh-anna-" + Guid.NewGuid().ToString("N")[..8], "manager", channel.Id);
        var boris = await fixture.CreateUserAsync("dh-boris-" + Guid.NewGuid().ToString("N")[..8], "manager", channel.Id);
        var id = (await fixture.IngestAsync(channel, "dh-1", "dh-cust", "hello"))["conversationId"]!.GetValue<long>();
        using var admin = fixture.App.Http(fixture.AdminToken);
        (await admin.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = anna.Id })).EnsureSuccessStatusCode();
        await using var borisHub = await fixture.ConnectHubAsync(boris.Token);
        var borisHeard = new HubRecorder(borisHub);

        // A first hand-over (to Boris) holds the row while a second one (back to Anna) comes in and waits for it.
        await using var first = fixture.Db();
        await first.OpenAsync();
        await using var firstTx = await first.BeginTransactionAsync();
        await first.ExecuteAsync("update conversations set assignee_id = @boris where id = @id", new { boris = boris.Id, id }, firstTx);
        var second = admin.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = anna.Id });
        await HttpJson.EventuallyAsync(async () =>
        {
            await using var db = fixture.Db();
            return await db.ExecuteScalarAsync<long>("select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()") > 0;
        }, "the second hand-over waits for the first");
        await firstTx.CommitAsync();
        (await second).EnsureSuccessStatusCode();

        // Boris saw it between the two: the second one's former viewers include him, so he is told to drop it.
        var removed = await borisHeard.WaitForAsync("conversationRemoved", r => r.Id() == id);
        Assert.Equal(anna.Id, removed["assignee"]!.Id());
        using var borisHttp = fixture.App.Http(boris.Token);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await borisHttp.GetAsync($"/api/conversations/{id}")).StatusCode);
    }

    [Fact]
    public async Task Both_nodes_copies_give_the_sql_rules_audience_after_every_change_made_elsewhere()
    {
        var channels = new[]
        {
            await fixture.CreateApiChannelAsync(name: "Audience A " + Guid.NewGuid().ToString("N")[..6]),
            await fixture.CreateApiChannelAsync(name: "Audience B " + Guid.NewGuid().ToString("N")[..6]),
        };
        var users = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            users.Add((await fixture.CreateUserAsync($"aud-rand-{i}-{Guid.NewGuid():N}"[..20], i == 4 ? "supervisor" : "manager", channels[i % 2].Id)).Id);
        }
        var conversations = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            conversations.Add((await fixture.IngestAsync(channels[i % 2], $"aud-rand-{i}", $"aud-rand-contact-{i}", "hello"))["conversationId"]!.GetValue<long>());
        }
        var nodeA = fixture.App.Services.GetRequiredService<AudienceDirectory>();
        var queries = fixture.App.Services.GetRequiredService<ConversationQueries>();
        var nodeB = new AudienceDirectory(fixture.App.Services.GetRequiredService<NpgsqlDataSource>(), queries);
        var random = new Random(1913);
        await using var db = fixture.Db();
        await CheckAsync(db, conversations, queries, nodeA, nodeB);

        var kinds = new Dictionary<int, int>();
        for (var step = 0; step < 140; step++)
        {
            var kind = random.Next(7);
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            var user = users[random.Next(users.Count)];
            var conversation = conversations[random.Next(conversations.Count)];
            var channel = channels[random.Next(channels.Length)].Id;
            var sql = kind switch
            {
                0 => random.Next(3) == 0
                    ? "update conversations set assignee_id = null where id = @conversation"
                    : "update conversations set assignee_id = @user where id = @conversation",
                1 => "insert into channel_members (channel_id, user_id) values (@channel, @user) on conflict do nothing",
                2 => "delete from channel_members where channel_id = @channel and user_id = @user",
                3 => "update users set role = case role when 'manager' then 'supervisor' else 'manager' end where id = @user",
                4 => "update users set is_active = not is_active where id = @user",
                5 => random.Next(2) == 0
                    ? "insert into conversation_participants (conversation_id, user_id) values (@conversation, @user) on conflict do nothing"
                    : "delete from conversation_participants where conversation_id = @conversation and user_id = @user",
                // Read positions (each viewer's own unread count), and new inbound messages counted.
                _ => random.Next(3) switch
                {
                    0 => "update conversations set inbound_count = inbound_count + @count where id = @conversation",
                    1 => "delete from conversation_reads where conversation_id = @conversation and user_id = @user",
                    _ => """
                        insert into conversation_reads (conversation_id, user_id, last_read_message_id, read_inbound_count)
                        select c.id, @user, coalesce(c.last_message_id, 0), greatest(c.inbound_count - @count, 0) from conversations c where c.id = @conversation
                        on conflict (user_id, conversation_id) do update set read_inbound_count = excluded.read_inbound_count
                        """,
                },
            };
            await db.ExecuteAsync(sql, new { user, conversation, channel, count = random.Next(4) });
            await CheckAsync(db, conversations, queries, nodeA, nodeB);
        }
        Assert.True(kinds.Count == 7 && kinds.Values.All(n => n >= 10), "every kind of change was tried: " + string.Join(", ", kinds));
        var version = await db.ExecuteScalarAsync<long>("select version from audience_directory");
        Assert.Equal(version, nodeA.Current.Version);
        Assert.Equal(version, nodeB.Current.Version);
    }

    [Fact]
    public async Task A_deleted_conversation_has_no_audience_and_a_cleared_copy_reloads()
    {
        var channel = await fixture.CreateApiChannelAsync(name: "Audience C " + Guid.NewGuid().ToString("N")[..6]);
        var manager = await fixture.CreateUserAsync("aud-gone-" + Guid.NewGuid().ToString("N")[..6], "manager", channel.Id);
        var conversation = (await fixture.IngestAsync(channel, "aud-gone-1", "aud-gone-contact", "hello"))["conversationId"]!.GetValue<long>();
        var node = fixture.App.Services.GetRequiredService<AudienceDirectory>();
        var (audience, summaries) = await node.SummariesAsync(conversation, CancellationToken.None);
        Assert.Contains(manager.Id, audience);
        Assert.Equal(audience, summaries.Select(s => s.UserId).Order().ToList());

        node.Clear();
        Assert.Equal(-1, node.Current.Version);
        Assert.Equal(audience, (await node.SummariesAsync(conversation, CancellationToken.None)).Audience);
        Assert.NotEqual(-1, node.Current.Version);

        Assert.Equal((IEnumerable<long>)[], (await node.SummariesAsync(conversation + 1_000_000, CancellationToken.None)).Audience);
        Assert.Empty(await node.AudienceAsync(conversation + 1_000_000, CancellationToken.None));
    }

    [Fact]
    public async Task A_batchs_shared_read_serves_only_while_fresh_and_a_read_older_than_the_nodes_copy_is_read_again()
    {
        var channel = await fixture.CreateApiChannelAsync(name: "Shared read " + Guid.NewGuid().ToString("N")[..6]);
        var anna = await fixture.CreateUserAsync("sr-anna-" + Guid.NewGuid().ToString("N")[..8], "manager", channel.Id);
        var boris = await fixture.CreateUserAsync("sr-boris-" + Guid.NewGuid().ToString("N")[..8], "manager", channel.Id);
        var conversation = (await fixture.IngestAsync(channel, "sr-1", "sr-cust-1", "hello"))["conversationId"]!.GetValue<long>();
        var gone = conversation + 1_000_000;
        var queries = fixture.App.Services.GetRequiredService<ConversationQueries>();
        var node = fixture.App.Services.GetRequiredService<AudienceDirectory>();

        // Fresh, a push takes its conversation from the batch's read (a conversation that is gone has no entry there);
        // past its age, none does: each reads alone.
        var fresh = new BatchPushReads([conversation, gone], TimeSpan.FromMinutes(5));
        Assert.Equal(conversation, (await fresh.GetAsync(queries, conversation))!.Summary.Id);
        Assert.Null(await fresh.GetAsync(queries, gone));
        var aged = new BatchPushReads([conversation], TimeSpan.Zero);
        Assert.Null(await aged.GetAsync(queries, conversation));

        // A read taken before Boris left the channel, handed to a node whose copy already has him gone: read again, so
        // the push does not reach him.
        var stale = (await queries.ForPushAsync([conversation], CancellationToken.None))[conversation];
        Assert.Contains(boris.Id, (await node.SummariesAsync(conversation, CancellationToken.None, read: stale)).Audience);
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("delete from channel_members where channel_id = @channel and user_id = @boris", new { channel = channel.Id, boris = boris.Id });
        }
        await node.SummariesAsync(conversation, CancellationToken.None); // the node's copy moves on
        Assert.True(node.Current.Version > stale.DirectoryVersion);
        var (audience, summaries) = await node.SummariesAsync(conversation, CancellationToken.None, read: stale);
        Assert.Contains(anna.Id, audience);
        Assert.DoesNotContain(boris.Id, audience);
        Assert.DoesNotContain(summaries, s => s.UserId == boris.Id);
    }

    private static async Task CheckAsync(NpgsqlConnection db, IReadOnlyList<long> conversations, ConversationQueries queries, params AudienceDirectory[] nodes)
    {
        // As an inbound batch reads its conversations for the pushes: all in one statement, each push starting from its part.
        var together = await queries.ForPushAsync(conversations, CancellationToken.None);
        Assert.Equal(conversations.Order(), together.Keys.Order());
        foreach (var conversation in conversations)
        {
            var expected = (await db.QueryAsync<long>(ConversationQueries.Audience, new { conversationId = conversation })).Order().ToList();
            // Each viewer's unread count as the inbox list computes it (their read position against the inbound count).
            var unread = (await db.QueryAsync<(long UserId, long Unread)>("""
                select u.id, greatest(c.inbound_count - coalesce(r.read_inbound_count, 0), 0)
                from users u join conversations c on c.id = @conversation
                left join conversation_reads r on r.conversation_id = c.id and r.user_id = u.id
                """, new { conversation })).ToDictionary(r => r.UserId, r => r.Unread);
            foreach (var node in nodes)
            {
                var (audience, summaries) = await node.SummariesAsync(conversation, CancellationToken.None);
                Assert.Equal(expected, audience);
                Assert.Equal(expected, summaries.Select(s => s.UserId).Order().ToList());
                Assert.All(summaries, s => Assert.Equal(conversation, s.Summary.Id));
                Assert.All(summaries, s => Assert.Equal(unread[s.UserId], s.Summary.UnreadCount));
                var (sharedAudience, sharedSummaries) = await node.SummariesAsync(conversation, CancellationToken.None, read: together[conversation]);
                Assert.Equal(expected, sharedAudience);
                Assert.Equal(summaries.OrderBy(s => s.UserId).Select(s => (s.UserId, s.Summary.UnreadCount, s.Summary.Revision)),
                    sharedSummaries.OrderBy(s => s.UserId).Select(s => (s.UserId, s.Summary.UnreadCount, s.Summary.Revision)));
                Assert.Equal(expected, await node.AudienceAsync(conversation, CancellationToken.None));
            }
        }
    }
}
