using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Inbound;
using ContactCenter.Core;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContactCenter.FunctionalTests;

/// <summary>Concurrent inbound messages share one transaction and commit (InboundBatcher); per-message semantics stay.</summary>
public sealed class GroupCommitTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private InboundBatcher Batcher => fixture.App.Services.GetRequiredService<InboundBatcher>();

    private static InboundMessage Message(long channelId, string externalId, string contact, string text) =>
        new(channelId, externalId, null, new SenderIdentity(contact, "Name " + contact), text, null, [], null, null, "{}");

    [Fact]
    public async Task A_batch_stores_each_message_once_and_reports_a_redelivery_inside_it_or_of_a_stored_row_as_duplicate()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var stored = await fixture.IngestAsync(channel, "g-0", "gc-1", "stored before");

        var tasks = await Batcher.StoreBatchAsync([
            Message(channel.Id, "g-1", "gc-1", "one"),
            Message(channel.Id, "g-2", "gc-2", "two"),
            Message(channel.Id, "g-1", "gc-1", "one again"),
            Message(channel.Id, "g-0", "gc-1", "stored before, again"),
            Message(channel.Id, "g-3", "gc-3", "new contact"),
            Message(channel.Id, "g-4", "gc-3", "new contact, second"),
        ]);
        var results = await Task.WhenAll(tasks);

        Assert.Equal([false, false, true, true, false, false], results.Select(r => r.Duplicate));
        Assert.Equal(results[0].MessageId, results[2].MessageId);
        Assert.Equal(stored["messageId"]!.GetValue<long>(), results[3].MessageId);
        Assert.Equal(results[4].ConversationId, results[5].ConversationId);
        Assert.Equal(5, await fixture.CountAsync("messages"));
        Assert.Equal(3, await fixture.CountAsync("contacts"));
        Assert.Equal(3, await fixture.CountAsync("conversations"));
        Assert.Equal(3, await fixture.CountAsync("leads"));
        Assert.Equal(5, await fixture.CountAsync("timeline_entries where type = 'message'"));
        await using var db = fixture.Db();
        Assert.Equal(2, await db.ExecuteScalarAsync<long>("select inbound_count from conversations where id = @id", new { id = results[0].ConversationId }));
        Assert.Equal("one", await db.ExecuteScalarAsync<string>("select text from messages where external_id = 'g-1'"));
        // One transaction wrote them all: one commit for the batch.
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select count(distinct xmin::text) from messages where external_id in ('g-1', 'g-2', 'g-3', 'g-4')"));
    }

    [Fact]
    public async Task A_message_that_fails_fails_alone_and_the_rest_of_its_batch_is_stored()
    {
        var channel = await fixture.CreateApiChannelAsync();

        var tasks = await Batcher.StoreBatchAsync([
            Message(channel.Id, "f-1", "fc-1", "fine"),
            Message(long.MaxValue, "f-2", "fc-2", "to a channel that does not exist"),
            Message(channel.Id, "f-3", "fc-3", "fine too"),
        ]);

        Assert.False((await tasks[0]).Duplicate);
        await Assert.ThrowsAsync<InvalidOperationException>(() => tasks[1]);
        Assert.False((await tasks[2]).Duplicate);
        Assert.Equal(2, await fixture.CountAsync("messages"));
        Assert.Equal(2, await fixture.CountAsync("contacts"));
        await using var db = fixture.Db();
        // The batch was rolled back and each message stored alone.
        Assert.Equal(2, await db.ExecuteScalarAsync<long>("select count(distinct xmin::text) from messages"));
    }

    [Fact]
    public async Task Concurrent_webhooks_with_redeliveries_store_each_message_once_and_answer_each_after_commit()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var bodies = Enumerable.Range(0, 60).Select(i => AppFixture.InboundBody($"c-{i % 40}", $"cc-{i % 7}", $"text {i % 40}")).ToList();

        var responses = await Task.WhenAll(bodies.Select(b => fixture.PostInboundAsync(channel, b)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var answers = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonObject>()));
        Assert.Equal(40, answers.Count(a => !a!["duplicate"]!.GetValue<bool>()));
        Assert.Equal(40, answers.Select(a => a!["messageId"]!.GetValue<long>()).Distinct().Count());
        await using var db = fixture.Db();
        // Every acknowledged message id is committed and visible.
        var ids = answers.Select(a => a!["messageId"]!.GetValue<long>()).Distinct().ToArray();
        Assert.Equal(40, await db.ExecuteScalarAsync<long>("select count(*) from messages where id = any(@ids)", new { ids }));
        Assert.Equal(7, await fixture.CountAsync("conversations"));
        Assert.Equal(40, await db.ExecuteScalarAsync<long>("select sum(inbound_count) from conversations"));
    }

    [Fact]
    public async Task A_batch_waiting_on_a_lock_keeps_the_queue_no_longer_than_its_turn_and_other_senders_are_stored_meanwhile()
    {
        // The writers take turns at the queue; a batch stuck in its statements (here on a conversation row another
        // transaction holds) must hand the turn on after InboundBatcher.MaxTurn, or every later message would wait behind it
        // (until the batch's lock timeout, InboundBatchStore.LockTimeout, rolled it back).
        var channel = await fixture.CreateApiChannelAsync();
        var first = await fixture.IngestAsync(channel, "t-0", "turn-a", "first");
        var (locker, tx, lockerPid) = await LockConversationAsync(first["conversationId"]!.GetValue<long>());
        await using var held = locker;

        var stuck = fixture.IngestAsync(channel, "t-1", "turn-a", "waits for the row");
        await fixture.UntilAsync("select count(*) from pg_stat_activity where @lockerPid = any(pg_blocking_pids(pid))", new { lockerPid },
            "the second message never reached the locked row");
        var meanwhile = System.Diagnostics.Stopwatch.StartNew();
        var others = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => fixture.IngestAsync(channel, $"t-b{i}", $"turn-b{i}", $"meanwhile {i}")))
            .WaitAsync(TimeSpan.FromSeconds(20));
        var took = meanwhile.Elapsed;

        Assert.All(others, o => Assert.False(o["duplicate"]!.GetValue<bool>()));
        // Well inside the batch's lock timeout (3 s): the turn was passed on, the stuck batch did not have to give up first.
        Assert.True(took < TimeSpan.FromSeconds(2), $"the other senders' messages took {took.TotalMilliseconds:0} ms");
        Assert.False(stuck.IsCompleted);
        Assert.Equal(6, await fixture.CountAsync("messages"));
        await tx.RollbackAsync();
        var late = await stuck.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(late["duplicate"]!.GetValue<bool>());
        Assert.Equal(7, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task A_batch_that_waits_past_its_lock_timeout_is_stored_message_by_message_and_only_the_locked_sender_waits()
    {
        // One batch holding a message whose row is locked and messages of other senders: after the batch's lock timeout it
        // is rolled back and stored one by one, the others at once, the locked one when the row is free.
        var channel = await fixture.CreateApiChannelAsync();
        var first = await fixture.IngestAsync(channel, "lt-0", "lt-a", "first");
        var (locker, tx, _) = await LockConversationAsync(first["conversationId"]!.GetValue<long>());
        await using var held = locker;

        var batch = Batcher.StoreBatchAsync([
            Message(channel.Id, "lt-1", "lt-a", "waits for the row"),
            Message(channel.Id, "lt-2", "lt-b", "another sender"),
            Message(channel.Id, "lt-3", "lt-c", "and another"),
        ]);
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        await fixture.UntilAsync("select count(*) from (select 1 from messages where external_id in ('lt-2', 'lt-3') having count(*) = 2) x", null,
            "the other senders' messages were not stored while the row stayed locked");
        Assert.True(waiting.Elapsed >= TimeSpan.FromSeconds(2.5), $"stored after {waiting.Elapsed.TotalMilliseconds:0} ms, before the lock timeout");
        Assert.Equal(0, await fixture.CountAsync("messages where external_id = 'lt-1'"));
        await tx.RollbackAsync();
        var results = await Task.WhenAll(await batch.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.All(results, r => Assert.False(r.Duplicate));
        Assert.Equal(4, await fixture.CountAsync("messages"));
        await using var db = fixture.Db();
        // Rolled back and stored one by one: three transactions, not one.
        Assert.Equal(3, await db.ExecuteScalarAsync<long>("select count(distinct xmin::text) from messages where external_id in ('lt-1', 'lt-2', 'lt-3')"));
    }

    /// <summary>A conversation's row locked by a transaction of the test's own (rolled back when the connection goes), and its backend pid.</summary>
    private async Task<(NpgsqlConnection Locker, NpgsqlTransaction Tx, int Pid)> LockConversationAsync(long conversationId)
    {
        var locker = fixture.Db();
        await locker.OpenAsync();
        var tx = await locker.BeginTransactionAsync();
        var pid = await locker.ExecuteScalarAsync<int>("select pg_backend_pid()", transaction: tx);
        await locker.ExecuteAsync("select 1 from conversations where id = @conversationId for update", new { conversationId }, tx);
        return (locker, tx, pid);
    }
}
