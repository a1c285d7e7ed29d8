using System.Text.Json;
using ContactCenter.Api.Features.Calls;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Storage;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Inbound;

/// <summary>
/// The inbound pipeline's writes for one message, inside a transaction the caller owns (<see cref="InboundBatcher"/>
/// shares one among concurrent messages): resolve the contact, find or open (or reopen) the conversation, attach to
/// the contact's open lead or deal (or open one), insert the message (a repeated external id changes nothing), add the
/// timeline entry, bump unread state and queue follow-up work. A per-identity advisory lock makes concurrent first
/// messages of one new contact meet one contact.
/// </summary>
public sealed class InboundStore(AttachmentStore files, TimeProvider clock)
{
    /// <summary>What was stored; WakeOutbox when the message queued outbox work (media to fetch).</summary>
    /// <summary>A stored message; <paramref name="Crm"/> holds the lead or deal it opened, pushed after commit.</summary>
    public sealed record Stored(IngestResult Result, bool WakeOutbox, CrmChanges? Crm = null);

    private sealed record ConversationRow(long Id, string Status, long? AssigneeId, long? LeadId, long? DealId, bool Created);

    private sealed record Existing(long Id, long ConversationId, long ContactId);

    private sealed record Inserted(long Id, long? WakeNoteId);

    /// <summary>
    /// Stores one message inside the caller's transaction (nothing is committed here). Null when another transaction
    /// stored the same external id first: the caller must roll back what this one wrote and report that message.
    /// </summary>
    public async Task<Stored?> StoreAsync(NpgsqlConnection connection, NpgsqlTransaction tx, InboundMessage m, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var sentAt = m.SentAt ?? now;

        const string lockAndFind = """
            select kind from channels where id = @channelId;
            select count(*) from (select pg_advisory_xact_lock(hashtextextended(ch.kind || ':' || @address, 0)) from channels ch where ch.id = @channelId) l;
            select m.id, m.conversation_id, c.contact_id from messages m join conversations c on c.id = m.conversation_id
            where m.channel_id = @channelId and m.external_id = @externalId;
            select i.contact_id from contact_identities i join channels ch on ch.kind = i.channel_kind
            where ch.id = @channelId and i.address = @address;
            """;
        string kind;
        Existing? existing;
        long? contactId;
        await using (var grid = await connection.QueryMultipleAsync(new CommandDefinition(lockAndFind,
            new { m.ChannelId, m.Sender.Address, m.ExternalId }, tx, cancellationToken: ct)))
        {
            kind = await grid.ReadSingleOrDefaultAsync<string>() ?? throw new InvalidOperationException($"Channel {m.ChannelId} does not exist.");
            await grid.ReadAsync();
            existing = await grid.ReadSingleOrDefaultAsync<Existing>();
            contactId = await grid.ReadSingleOrDefaultAsync<long?>();
        }
        if (existing is not null)
        {
            return new Stored(new IngestResult(existing.Id, existing.ConversationId, existing.ContactId, Duplicate: true), WakeOutbox: false);
        }

        if (contactId is null)
        {
            contactId = await CreateContactAsync(connection, tx, kind, m.Sender, ct);
        }
        else if (m.Sender.Phone is not null && !m.Sender.Unverified)
        {
            await SharePhoneAsync(connection, tx, contactId.Value, m.Sender.Phone, now, ct);
        }

        const string upsertConversation = """
            insert into conversations (channel_id, contact_id, thread_key, first_inbound_at, last_activity_at, created_at, updated_at)
            values (@channelId, @contactId, @threadKey, @sentAt, @now, @now, @now)
            on conflict (channel_id, contact_id, thread_key) do update set updated_at = excluded.updated_at
            returning id, status, assignee_id, lead_id, deal_id, (xmax = 0) as created
            """;
        var conversation = await connection.QuerySingleAsync<ConversationRow>(new CommandDefinition(upsertConversation,
            new { m.ChannelId, contactId, threadKey = m.ThreadKey ?? "", sentAt, now }, tx, cancellationToken: ct));

        // A machine's message (an auto-reply) keeps the conversation's links but opens nothing and triggers no automation.
        var crm = new CrmChanges();
        var (leadId, dealId) = m.Automated
            ? (conversation.LeadId, conversation.DealId)
            : await CrmLink.AttachAsync(connection, tx, conversation.Id, contactId.Value, conversation.LeadId, conversation.DealId,
                conversation.AssigneeId, m.Sender.DisplayName ?? m.Sender.Address, kind, m.Source, now, crm, ct);

        var stored = await StoreAttachmentsAsync(m.Attachments, ct);
        const string insertMessage = """
            with m as (
                insert into messages (conversation_id, channel_id, direction, text, html, sender_type, status, external_id,
                                      reply_to_external_id, reply_to_id, metadata, raw, sent_at, created_at, updated_at)
                values (@conversationId, @channelId, 'inbound', @text, @html, 'contact', 'received', @externalId,
                        @replyTo, (select r.id from messages r where r.channel_id = @channelId and r.external_id = @replyTo),
                        @metadata::jsonb, to_jsonb(@raw::text), @sentAt, @now, @now)
                on conflict (channel_id, external_id) where external_id is not null do nothing
                returning id
            ), a as (
                insert into attachments (message_id, file_name, content_type, size, external_ref, storage_path)
                select m.id, f.file_name, f.content_type, f.size, f.external_ref, f.storage_path
                from m, jsonb_to_recordset(@attachments::jsonb) as f(file_name text, content_type text, size bigint, external_ref text, storage_path text)
            ), c as (
                update conversations set
                    last_message_id = m.id, last_preview = left(@text, 140), last_activity_at = @now, updated_at = @now,
                    inbound_count = inbound_count + 1,
                    -- The wait starts when the message was written, or when it came if the sender's clock says later (a day ahead is kept on the message).
                    waiting_since = case when @automated then waiting_since when status = 'resolved' then least(@sentAt, @now) else coalesce(waiting_since, least(@sentAt, @now)) end,
                    cycle_started_at = case when @automated then cycle_started_at when status = 'resolved' or cycle_started_at is null then least(@sentAt, @now) else cycle_started_at end,
                    awaiting_first_response = case when status = 'resolved' and not @automated then true else awaiting_first_response end,
                    sla_breached_at = case when status = 'resolved' and not @automated then null else sla_breached_at end,
                    status = case when @automated then status else 'open' end, resolved_at = case when @automated then resolved_at end,
                    snoozed_until = case when @automated then snoozed_until end
                from m where conversations.id = @conversationId
            ), w as (
                -- A snoozed conversation woken by the customer: the system note, in this same statement (no extra round trip).
                insert into messages (conversation_id, channel_id, direction, text, sender_type, status, metadata, created_at, updated_at)
                select @conversationId, @channelId, 'note', 'Snooze ended: the customer wrote.', 'system', 'sent',
                       jsonb_build_object('notice', 'unsnoozed', 'reason', 'inbound'), @now, @now
                from m where @wasSnoozed and not @automated
                returning id
            ), t as (
                insert into timeline_entries (lead_id, deal_id, type, at, actor_type, actor_id, data)
                select @leadId, @dealId, @timelineType, @now, 'contact', @contactId,
                       jsonb_build_object('messageId', m.id, 'conversationId', @conversationId, 'direction', 'inbound', 'channelKind', @kind, 'preview', left(coalesce(@text, ''), 200))
                       || @timelineExtra::jsonb
                from m where @leadId::bigint is not null or @dealId::bigint is not null
            ), o as (
                insert into outbox (kind, message_id, payload)
                select 'media:' || @kind, m.id, '{}'::jsonb from m where @fetchMedia
            )
            select m.id, (select w.id from w) as wake_note_id from m
            """;
        var fetchMedia = stored.Any(a => a.storage_path is null && a.external_ref is not null);
        var inserted = await connection.QuerySingleOrDefaultAsync<Inserted>(new CommandDefinition(insertMessage, new
        {
            conversationId = conversation.Id,
            m.ChannelId,
            m.Text,
            m.Html,
            m.ExternalId,
            replyTo = m.ReplyToExternalId,
            metadata = m.Metadata is null ? null : JsonSerializer.Serialize(m.Metadata),
            raw = m.RawPayload,
            sentAt,
            now,
            attachments = JsonSerializer.Serialize(stored),
            leadId,
            dealId,
            contactId,
            kind,
            fetchMedia,
            automated = m.Automated,
            wasSnoozed = conversation.Status == "snoozed",
            // A phone call is a `call` entry carrying the call (kept in step by the call ledger as it progresses).
            timelineType = CallInfo.IsCall(m.Metadata) ? "call" : "message",
            timelineExtra = CallInfo.IsCall(m.Metadata) ? $"{{\"call\":{CallInfo.TimelineJson(m.Metadata!)}}}" : "{}",
        }, tx, cancellationToken: ct));

        return inserted is null ? null
            : new Stored(new IngestResult(inserted.Id, conversation.Id, contactId.Value, Duplicate: false) { WakeNoteId = inserted.WakeNoteId }, fetchMedia, crm);
    }

    /// <summary>Wakes the outbox workers at commit; only for messages that queued work (a message without media queued nothing).</summary>
    public static Task WakeOutboxAsync(NpgsqlConnection connection, NpgsqlTransaction tx) =>
        connection.ExecuteAsync(new CommandDefinition("select pg_notify('cc_outbox', '')", transaction: tx));

    /// <summary>The first stored message with this external id (after a <see cref="StoreAsync"/> that returned null).</summary>
    public static async Task<IngestResult> FirstAsync(NpgsqlDataSource db, InboundMessage m, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var first = await connection.QuerySingleAsync<Existing>(new CommandDefinition(
            "select m.id, m.conversation_id, c.contact_id from messages m join conversations c on c.id = m.conversation_id where m.channel_id = @ChannelId and m.external_id = @ExternalId",
            new { m.ChannelId, m.ExternalId }, cancellationToken: ct));
        return new IngestResult(first.Id, first.ConversationId, first.ContactId, Duplicate: true);
    }

    /// <summary>A known contact shared their number (a Telegram contact share): it becomes their phone if they had none.</summary>
    internal static Task SharePhoneAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long contactId, string phone, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "update contacts set phone = @phone, updated_at = @now where id = @contactId and phone is null",
            new { phone, contactId, now }, tx, cancellationToken: ct));

    internal static async Task<long> CreateContactAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string kind, SenderIdentity sender, CancellationToken ct)
    {
        // Identity first (already looked up), then a contact with the same email, then the same phone, else a new one.
        // Never on what an anonymous visitor typed (SenderIdentity.Unverified), and never onto a contact whose details
        // came from one: those get a new contact, with the best candidate kept as a possible duplicate to merge by hand.
        const string sql = """
            with candidates as (
                select id, details_unverified, 1 as rank from contacts where @email is not null and lower(email) = lower(@email)
                union all
                select id, details_unverified, 2 from contacts where @phone is not null and phone = @phone
            ), found as (
                select id from candidates where not @unverified and not details_unverified order by rank, id limit 1
            ), created as (
                insert into contacts (name, email, phone, details_unverified, possible_duplicate_of)
                select @name, @email, @phone, @unverified, (select id from candidates order by details_unverified, rank, id limit 1)
                where not exists (select 1 from found)
                returning id
            ), contact as (
                select id from found union all select id from created
            )
            insert into contact_identities (contact_id, channel_kind, address, display_name, username)
            select id, @kind, @address, @name, @username from contact
            on conflict (channel_kind, address) do update set display_name = excluded.display_name
            returning contact_id
            """;
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new
        {
            kind,
            sender.Address,
            name = sender.DisplayName ?? sender.Username,
            sender.Email,
            sender.Phone,
            sender.Username,
            unverified = sender.Unverified,
        }, tx, cancellationToken: ct));
    }

    internal sealed record StoredAttachment(string file_name, string content_type, long? size, string? external_ref, string? storage_path);

    internal async Task<List<StoredAttachment>> StoreAttachmentsAsync(IReadOnlyList<InboundAttachment> attachments, CancellationToken ct)
    {
        var result = new List<StoredAttachment>(attachments.Count);
        foreach (var a in attachments)
        {
            var path = a.StoragePath ?? (a.Content is null ? null : await files.SaveAsync(a.Content, ct));
            result.Add(new StoredAttachment(FileNames.Clean(a.FileName), a.ContentType ?? "application/octet-stream",
                a.Content?.LongLength ?? a.Size, a.ExternalRef, path));
        }
        return result;
    }
}
