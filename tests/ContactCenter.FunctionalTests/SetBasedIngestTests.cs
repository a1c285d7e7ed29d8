using System.Diagnostics;
using System.Text.Json;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Inbound;
using ContactCenter.Core;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// The group commit writes a batch set-based (InboundBatchStore): a fixed number of round trips for the batch, and
/// exactly the rows the same messages stored one by one (the fallback path) would leave.
/// </summary>
public sealed class SetBasedIngestTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public Task InitializeAsync() => ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private InboundBatcher Batcher => fixture.App.Services.GetRequiredService<InboundBatcher>();

    private async Task ResetAsync()
    {
        await fixture.ExecuteResetAsync("truncate table automation_jobs, automation_rules restart identity cascade");
        await fixture.ResetAsync();
    }

    private static InboundMessage Message(long channel, string externalId, string address, string text, int minute,
        string? email = null, string? phone = null, bool unverified = false) =>
        new(channel, externalId, null, new SenderIdentity(address, "Name " + address, email, phone) { Unverified = unverified },
            text, null, [], T0.AddMinutes(minute), null, $"{{\"id\":\"{externalId}\"}}");

    /// <param name="twins">Two new senders of the batch share an email: the second one's contact is the first one's (contacts one by one).</param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_batch_of_64_mixed_messages_stores_exactly_what_64_single_stores_would(bool twins)
    {
        var (singleRun, singleResults, _, _) = await RunAsync(together: false, twins);
        await ResetAsync();
        var (batchRun, batchResults, commands, records) = await RunAsync(together: true, twins);

        Assert.Equal(singleRun, batchRun);
        Assert.Equal(singleResults.Select(r => r.Duplicate), batchResults.Select(r => r.Duplicate));
        Assert.Equal(64, batchResults.Count);
        Assert.Equal(4, batchResults.Count(r => r.Duplicate));
        // A few round trips for the batch, plus CrmLink's own statements for each conversation that opened a lead
        // (one by one, every message costs several).
        var newLeads = batchRun.Count(r => r.StartsWith("lead ", StringComparison.Ordinal)) - SeededLeads;
        Assert.True(commands.Count <= 4 + 16 * newLeads, $"{commands.Count} commands for 64 messages with {newLeads} new leads");
        // The records the batch returned for the push are the ones a read-back gives.
        var queries = fixture.App.Services.GetRequiredService<MessageQueries>();
        foreach (var ingested in records.Where(r => !r.Result.Duplicate))
        {
            Assert.NotNull(ingested.Message);
            var read = await queries.GetAsync(ingested.Result.MessageId, CancellationToken.None);
            Assert.Equal(JsonSerializer.Serialize(read), JsonSerializer.Serialize(ingested.Message));
            if (ingested.Result.WakeNoteId is { } note)
            {
                Assert.Equal(JsonSerializer.Serialize(await queries.GetAsync(note, CancellationToken.None)), JsonSerializer.Serialize(ingested.WakeNote));
            }
        }
        Assert.Contains(records, r => r.WakeNote is not null);
        Assert.Contains(records, r => r.Message?.Attachments.Count == 2);
    }

    [Fact]
    public async Task A_batch_of_returning_customers_takes_three_round_trips_whatever_its_size()
    {
        var channel = await fixture.CreateApiChannelAsync();
        await Batcher.StoreEachAloneAsync([.. Enumerable.Range(0, 10).Select(i => Message(channel.Id, $"seed-{i}", $"r-{i}", "hello", i))]);

        var (results, commands) = await CountCommandsAsync(async () => await Task.WhenAll(await Batcher.StoreBatchAsync(
            [.. Enumerable.Range(0, 64).Select(i => Message(channel.Id, $"b-{i}", $"r-{i % 10}", $"again {i}", 100 + i))])));

        Assert.All(results, r => Assert.False(r.Duplicate));
        Assert.Equal(74, await fixture.CountAsync("messages"));
        Assert.Equal(74, await fixture.CountAsync("timeline_entries where type = 'message'"));
        Assert.True(commands.Count == 3, string.Join("\n", commands));
    }

    private const int SeededLeads = 15;

    /// <summary>The same seed, then the same 64 messages as one batch or one by one; returns the rows they left.</summary>
    private async Task<(List<string> Rows, List<IngestResult> Results, List<string> Commands, List<Ingested> Records)> RunAsync(bool together, bool twins)
    {
        var channel = (await fixture.CreateApiChannelAsync()).Id;
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("""
                insert into automation_rules (name, trigger_type, trigger, delay, actions) values
                    ('on message', 'inboundMessage', '{}', 'P1D', '[{"type": "notify", "text": "x"}]'),
                    ('no reply', 'noReply', '{"minutes": 30}', null, '[{"type": "notify", "text": "y"}]'),
                    ('telegram only', 'inboundMessage', '{"channelKind": "telegram"}', null, '[{"type": "notify", "text": "z"}]')
                """);
        }
        var seed = Enumerable.Range(0, 10).Select(i => Message(channel, $"seed-r-{i}", $"r-{i}", $"hello {i}", i)).ToList();
        seed.Add(Message(channel, "seed-res", "r-res", "to be resolved", 10));
        seed.Add(Message(channel, "seed-snz", "r-snz", "to be snoozed", 11));
        seed.Add(Message(channel, "seed-junk", "r-junk", "lead to be closed", 12));
        seed.Add(Message(channel, "seed-mail", "e-seed", "has an email", 13, email: "Shared@Example.com"));
        seed.Add(Message(channel, "seed-other", "e-other", "has another email", 14, email: "Other@Example.com"));
        await Batcher.StoreEachAloneAsync(seed);
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("""
                update conversations set status = 'resolved', resolved_at = now(), waiting_since = null
                where contact_id = (select contact_id from contact_identities where address = 'r-res');
                update conversations set status = 'snoozed', snoozed_until = now() + interval '1 day'
                where contact_id = (select contact_id from contact_identities where address = 'r-snz');
                update leads set status = 'junk' where contact_id = (select contact_id from contact_identities where address = 'r-junk');
                """);
        }

        var batch = new List<InboundMessage>();
        for (var i = 0; i < 30; i++)
        {
            batch.Add(Message(channel, $"b-{i}", $"r-{i % 10}", $"returning {i}", 100 + i));
        }
        batch.Add(Message(channel, "b-3", "r-3", "a redelivery inside the batch", 130));
        batch.Add(Message(channel, "seed-r-4", "r-4", "a redelivery of a stored message", 131));
        batch.Add(Message(channel, "auto-2", "r-2", "I am away", 132) with { Automated = true });
        batch.Add(Message(channel, "res-1", "r-res", "back again", 133));
        batch.Add(Message(channel, "res-2", "r-res", "still there?", 134));
        batch.Add(Message(channel, "snz-auto", "r-snz", "auto reply first", 135) with { Automated = true });
        batch.Add(Message(channel, "snz-1", "r-snz", "wake up", 136));
        batch.Add(Message(channel, "snz-2", "r-snz", "hello?", 137));
        batch.Add(Message(channel, "junk-1", "r-junk", "a new lead after the junk one", 138));
        batch.Add(Message(channel, "mail-new", "e-new", "same email, other identity", 139, email: "shared@example.com"));
        batch.Add(Message(channel, "phone-share", "r-1", "my number", 140, phone: "+15550001"));
        batch.Add(Message(channel, "reply-in-batch", "r-5", "answering b-5", 141) with { ReplyToExternalId = "b-5" });
        batch.Add(Message(channel, "reply-stored", "r-0", "answering the seed", 142) with { ReplyToExternalId = "seed-r-0" });
        for (var i = 0; i < 6; i++)
        {
            batch.Add(Message(channel, $"new-{i}", $"n-{i}", $"first contact {i}", 150 + i, email: i == 0 ? $"n{i}@example.com" : null));
        }
        batch.Add(Message(channel, "new-6a", "n-6", "two messages, first", 160));
        batch.Add(Message(channel, "new-6b", "n-6", "two messages, second, with files", 161, phone: "+15550666") with
        {
            Attachments = [new InboundAttachment("photo.jpg", "image/jpeg", 1234, "http://127.0.0.1:1/photo.jpg"),
                new InboundAttachment("note.txt", "text/plain", null, null, "hello file"u8.ToArray())],
        });
        batch.Add(Message(channel, "new-7", "n-7", "typed someone's email", 162, email: "other@example.com", unverified: true));
        batch.Add(Message(channel, "new-8", "n-8", "a verified phone", 163, phone: "+15550888"));
        batch.Add(Message(channel, "new-6a", "n-6", "redelivery of a new contact's message", 164));
        batch.Add(Message(channel, "b-7", "r-7", "another redelivery", 165));
        if (twins)
        {
            batch.Add(Message(channel, "twin-1", "t-1", "a new sender", 170, email: "twin@example.com"));
            batch.Add(Message(channel, "twin-2", "t-2", "another new sender, same email", 171, email: "twin@example.com"));
        }
        while (batch.Count < 64)
        {
            batch.Add(Message(channel, $"tail-{batch.Count}", $"r-{batch.Count % 10}", $"tail {batch.Count}", 200 + batch.Count));
        }

        List<IngestResult> results;
        List<Ingested> records = [];
        List<string> commands = [];
        if (together)
        {
            Ingested[] stored;
            (stored, commands) = await CountCommandsAsync(async () => await Task.WhenAll(await Batcher.StoreBatchWithRecordsAsync(batch)));
            records = [.. stored];
            results = [.. records.Select(r => r.Result)];
        }
        else
        {
            results = [.. await Batcher.StoreEachAloneAsync(batch)];
        }
        return (await SnapshotAsync(), results, commands, records);
    }

    /// <summary>Database commands (round trips) this call made, from Npgsql's spans under a span of the test's own (not the app's background work).</summary>
    private static async Task<(T Result, List<string> Commands)> CountCommandsAsync<T>(Func<Task<T>> run)
    {
        using var source = new ActivitySource("SetBasedIngestTests");
        var commands = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" or "SetBasedIngestTests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivityTraceId trace = default;
        listener.ActivityStopped = a =>
        {
            if (a.Source.Name == "Npgsql" && a.TraceId == trace && !a.DisplayName.Contains("open", StringComparison.OrdinalIgnoreCase))
            {
                lock (commands)
                {
                    commands.Add(a.DisplayName + ": " + (a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement")));
                }
            }
        };
        ActivitySource.AddActivityListener(listener);
        T result;
        using (var root = source.StartActivity("batch")!)
        {
            trace = root.TraceId;
            result = await run();
        }
        lock (commands)
        {
            return (result, [.. commands]);
        }
    }

    /// <summary>
    /// Every row the ingest writes, ids replaced by stable keys (identity addresses, external ids) and clock times left out,
    /// and a conversation's `revision` (it counts the writes to the row: one batch bumps a conversation once where 64
    /// single stores bump it per message; the state the rows hold is what must be equal).
    /// </summary>
    private async Task<List<string>> SnapshotAsync()
    {
        await using var db = fixture.Db();
        await db.OpenAsync();
        await db.ExecuteAsync("""
            create or replace function pg_temp.clean(j jsonb) returns jsonb language sql as $$
                select coalesce(jsonb_object_agg(k, v), '{}') from jsonb_each(j) e(k, v)
                where not (k = 'id' or k = 'at' or k like '%\_id' or k like '%Id'
                           or (k like '%\_at' and k not in ('first_inbound_at', 'cycle_started_at', 'sent_at')))
            $$;
            """);
        var rows = await db.QueryAsync<string>("""
            with ck as (select contact_id, string_agg(channel_kind || ':' || address, ',' order by address) k from contact_identities group by contact_id),
            cv as (select c.id, ck.k || '/' || c.thread_key as k from conversations c join ck on ck.contact_id = c.contact_id),
            mk as (select m.id, coalesce(m.external_id, cv.k || '#' || row_number() over (partition by m.conversation_id order by m.id)) k
                   from messages m join cv on cv.id = m.conversation_id)
            select 'contact ' || (pg_temp.clean(to_jsonb(c) - 'possible_duplicate_of') || jsonb_build_object('key', ck.k, 'duplicateOf', d.k))::text
            from contacts c left join ck on ck.contact_id = c.id left join ck d on d.contact_id = c.possible_duplicate_of
            union all
            select 'identity ' || (pg_temp.clean(to_jsonb(i)) || jsonb_build_object('contact', ck.k))::text from contact_identities i join ck on ck.contact_id = i.contact_id
            union all
            select 'conversation ' || (pg_temp.clean(to_jsonb(c) - 'revision') || jsonb_build_object('key', cv.k, 'lead', l.title || ':' || l.status, 'deal', d.title, 'last', lm.k))::text
            from conversations c join cv on cv.id = c.id left join leads l on l.id = c.lead_id left join deals d on d.id = c.deal_id left join mk lm on lm.id = c.last_message_id
            union all
            select 'message ' || (pg_temp.clean(to_jsonb(m)) || jsonb_build_object('conversation', cv.k, 'replyTo', r.k,
                                  'position', row_number() over (partition by m.conversation_id order by m.id)))::text
            from messages m join cv on cv.id = m.conversation_id left join mk r on r.id = m.reply_to_id
            union all
            -- storage_path and fetch_error are the media job's, which runs after the store, whenever it runs.
            select 'attachment ' || (pg_temp.clean(to_jsonb(a) - 'storage_path' - 'fetch_error') || jsonb_build_object('message', mk.k, 'stored', a.storage_path is not null))::text
            from attachments a join mk on mk.id = a.message_id
            union all
            select 'timeline ' || (pg_temp.clean(to_jsonb(t) - 'data') || jsonb_build_object('data', pg_temp.clean(t.data), 'message', mk.k,
                                   'lead', l.title, 'deal', d.title, 'actor', ck.k))::text
            from timeline_entries t left join mk on mk.id = (t.data ->> 'messageId')::bigint left join leads l on l.id = t.lead_id
            left join deals d on d.id = t.deal_id left join ck on ck.contact_id = t.actor_id and t.actor_type = 'contact'
            union all
            select 'lead ' || (pg_temp.clean(to_jsonb(l) - 'source_details') || jsonb_build_object('details', pg_temp.clean(l.source_details), 'contact', ck.k))::text
            from leads l left join ck on ck.contact_id = l.contact_id
            union all
            select 'outbox ' || o.kind || ' ' || mk.k from outbox o join mk on mk.id = o.message_id
            union all
            select 'job ' || (pg_temp.clean(to_jsonb(j) - 'event' - 'dedupe_key' - 'state' - 'attempts' - 'last_error')
                              || jsonb_build_object('event', pg_temp.clean(j.event), 'rule', r.name, 'dedupe', j.dedupe_key is not null, 'subject', coalesce(l.title, d.title)))::text
            from automation_jobs j join automation_rules r on r.id = j.rule_id
            left join leads l on j.subject_type = 'lead' and l.id = j.subject_id left join deals d on j.subject_type = 'deal' and d.id = j.subject_id
            """);
        return [.. rows.Order(StringComparer.Ordinal)];
    }
}
