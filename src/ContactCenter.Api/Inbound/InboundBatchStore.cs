using System.Text.Json;
using ContactCenter.Api.Features.Calls;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Inbound;

/// <summary>
/// The inbound pipeline's writes for a whole batch, set-based, inside the caller's transaction: the same rows
/// <see cref="InboundStore"/> writes message by message, in a fixed number of statements whatever the batch size.
/// 1. the senders' advisory locks (sorted), then each message's stored copy and known identity;
/// 2. contacts for new senders (skipped when there is none);
/// 3. conversations upserted, then what CRM linking needs;
/// 4. messages, attachments, snooze notes, timeline, media and automation jobs, conversation bumps, returning what the push needs.
/// Only a message whose conversation has no open lead or deal yet links through <see cref="CrmLink"/> on its own
/// (it may open one). Anything unexpected throws: the caller rolls the batch back and stores each message alone.
/// </summary>
public sealed partial class InboundBatchStore(InboundStore single, TimeProvider clock)
{
    private sealed record Found(int N, string? Kind, string? RoutingMode, long? ExistingId, long? ExistingConversationId, long? ExistingContactId, long? IdentityContactId);

    private sealed record IdentityRow(string Kind, string Address, long ContactId);

    private sealed record ConversationRow(long Id, long ChannelId, long ContactId, string ThreadKey, string Status, long? AssigneeId, long? LeadId, long? DealId);

    private sealed record CrmFacts(long Id, long? OpenLead, long? OpenDeal, long? PipelineId, long? StageId, bool ContactHasOpenDeal, long ModeRows);

    private sealed class StoredRow : MessageQueries.MessageRow
    {
        public int Slot { get; init; }

        public bool IsNote { get; init; }
    }

    private sealed class NewSender(int n, string kind, SenderIdentity sender)
    {
        public object Row(string? laterPhone, int? laterN) => new
        {
            n, kind, address = sender.Address, name = sender.DisplayName ?? sender.Username, email = sender.Email, phone = sender.Phone,
            username = sender.Username, unverified = sender.Unverified, later_phone = laterPhone, later_n = laterN,
        };
    }

    private readonly record struct Link(long? LeadId, long? DealId, bool Raise, long? PipelineId, long? StageId, CrmChanges? Crm = null);

    /// <summary>
    /// The longest the batch waits for any lock (a sender's, a row another transaction holds): past it the batch is rolled
    /// back and its messages are stored one by one (<see cref="InboundBatcher"/>), where only the one that needs the lock waits.
    /// </summary>
    public const string LockTimeout = "3s";

    public async Task<Ingested[]> StoreAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<InboundMessage> batch, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var results = new Ingested?[batch.Count];

        // 1. Locks, then duplicates (stored before, or earlier in this batch) and known senders.
        List<Found> found;
        await using (var grid = await connection.QueryMultipleAsync(new CommandDefinition(InboundBatchSql.LockAndFind, new
        {
            rows = Json(batch.Select((m, n) => new { n, channel_id = m.ChannelId, address = m.Sender.Address, external_id = m.ExternalId })),
            lockTimeout = LockTimeout,
        }, tx, cancellationToken: ct)))
        {
            await grid.ReadAsync();
            await grid.ReadAsync();
            found = (await grid.ReadAsync<Found>()).ToList();
        }
        var firstCopy = new Dictionary<(long, string), int>();
        var copies = new List<(int N, int Of)>();
        var store = new List<int>();
        for (var n = 0; n < batch.Count; n++)
        {
            var f = found[n];
            if (f.Kind is null)
            {
                throw new InvalidOperationException($"Channel {batch[n].ChannelId} does not exist.");
            }
            if (f.ExistingId is { } existing)
            {
                results[n] = new Ingested(new IngestResult(existing, f.ExistingConversationId!.Value, f.ExistingContactId!.Value, Duplicate: true));
            }
            else if (firstCopy.TryGetValue((batch[n].ChannelId, batch[n].ExternalId), out var of))
            {
                copies.Add((n, of));
            }
            else
            {
                firstCopy[(batch[n].ChannelId, batch[n].ExternalId)] = n;
                store.Add(n);
            }
        }
        if (store.Count == 0)
        {
            return results.Select(r => r!).ToArray(); // every message was stored before: nothing to write
        }
        (string Kind, string Address) Identity(int n) => (found[n].Kind!, batch[n].Sender.Address);

        // 2. Contacts.
        var contactOf = new Dictionary<(string, string), long>();
        foreach (var n in store)
        {
            if (found[n].IdentityContactId is { } known)
            {
                contactOf[Identity(n)] = known;
            }
        }
        await ResolveContactsAsync(connection, tx, batch, store, Identity, contactOf, now, ct);

        // 3. Conversations, then the CRM facts.
        var conversationKeys = new Dictionary<(long, long, string), int>();
        foreach (var n in store)
        {
            conversationKeys.TryAdd((batch[n].ChannelId, contactOf[Identity(n)], batch[n].ThreadKey ?? ""), n);
        }
        List<ConversationRow> upserted;
        Dictionary<long, CrmFacts> facts;
        await using (var grid = await connection.QueryMultipleAsync(new CommandDefinition(InboundBatchSql.Conversations, new
        {
            conversations = Json(conversationKeys.Select(k => new
            {
                n = k.Value, channel_id = k.Key.Item1, contact_id = k.Key.Item2, thread_key = k.Key.Item3, sent_at = Micro(batch[k.Value].SentAt ?? now),
            })),
            now,
        }, tx, cancellationToken: ct)))
        {
            upserted = (await grid.ReadAsync<ConversationRow>()).ToList();
            facts = (await grid.ReadAsync<CrmFacts>()).ToDictionary(f => f.Id);
        }
        var conversationOf = upserted.ToDictionary(c => (c.ChannelId, c.ContactId, c.ThreadKey));
        ConversationRow Conversation(int n) => conversationOf[(batch[n].ChannelId, contactOf[Identity(n)], batch[n].ThreadKey ?? "")];

        var links = await LinkAsync(connection, tx, batch, store, Conversation, facts, n => found[n].Kind!, now, ct);

        // 4. Messages and everything that goes with them.
        var rows = new List<object>(store.Count);
        var slotOf = new Dictionary<int, int>();
        var woken = new HashSet<long>();
        var slot = 0;
        foreach (var n in store)
        {
            var m = batch[n];
            var conversation = Conversation(n);
            slotOf[n] = ++slot;
            // A snoozed conversation is woken by its first message from a person; the note goes right after that message.
            int? noteSlot = !m.Automated && conversation.Status == "snoozed" && woken.Add(conversation.Id) ? ++slot : null;
            var attachments = await single.StoreAttachmentsAsync(m.Attachments, ct);
            var link = links[n];
            var call = CallInfo.IsCall(m.Metadata);
            rows.Add(new
            {
                slot = slotOf[n], note_slot = noteSlot, conversation_id = conversation.Id, channel_id = m.ChannelId, contact_id = conversation.ContactId,
                text = m.Text, html = m.Html, external_id = m.ExternalId, reply_to = m.ReplyToExternalId,
                metadata = m.Metadata is null ? null : JsonSerializer.Serialize(m.Metadata), raw = m.RawPayload, sent_at = Micro(m.SentAt ?? now),
                attachments = JsonSerializer.Serialize(attachments),
                lead_id = link.LeadId, deal_id = link.DealId, kind = found[n].Kind, automated = m.Automated,
                fetch_media = attachments.Any(a => a.storage_path is null && a.external_ref is not null),
                // A phone call is a `call` entry carrying the call (kept in step by the call ledger as it progresses).
                timeline_type = call ? "call" : "message", timeline_extra = call ? $"{{\"call\":{CallInfo.TimelineJson(m.Metadata!)}}}" : "{}",
                raise = link.Raise, pipeline_id = link.PipelineId, stage_id = link.StageId, source = m.Source,
            });
        }
        var stored = (await connection.QueryAsync<StoredRow>(new CommandDefinition(InboundBatchSql.Messages, new
        {
            rows = Json(rows), now, atJson = JsonSerializer.Serialize(now.UtcDateTime, JsonSerializerOptions.Web).Trim('"'),
        }, tx, cancellationToken: ct))).ToList();
        var messages = stored.Where(r => !r.IsNote).ToDictionary(r => r.Slot);
        if (messages.Count != store.Count)
        {
            throw new InvalidOperationException("Another transaction stored the same external id first.");
        }
        var notes = stored.Where(r => r.IsNote).ToDictionary(r => r.Slot);
        bool MayRoute(int n) => Features.Routing.ChannelRules.Assigns(found[n].RoutingMode);
        var pushReads = new BatchPushReads(store.Where(n => !MayRoute(n)).Select(n => Conversation(n).Id).Distinct().ToList());
        foreach (var n in store)
        {
            var row = messages[slotOf[n]];
            var note = notes.GetValueOrDefault(slotOf[n]);
            results[n] = new Ingested(new IngestResult(row.Id, row.ConversationId, Conversation(n).ContactId, Duplicate: false) { WakeNoteId = note?.Id },
                MessageQueries.ToDto(row), note is null ? null : MessageQueries.ToDto(note), links[n].Crm)
            {
                MayRoute = MayRoute(n),
                PushReads = MayRoute(n) ? null : pushReads,
            };
        }
        foreach (var (n, of) in copies)
        {
            results[n] = new Ingested(results[of]!.Result with { Duplicate = true, WakeNoteId = null });
        }
        return results.Select(r => r!).ToArray();
    }

    private static string Json<T>(IEnumerable<T> rows) => JsonSerializer.Serialize(rows);

    /// <summary>Microseconds, cut as Npgsql cuts a parameter, so the batch stores the same instant one by one would.</summary>
    private static DateTimeOffset Micro(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);
}
