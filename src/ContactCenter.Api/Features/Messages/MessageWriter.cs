using System.Text.Json;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Messages;

/// <summary>
/// The one writer of staff and system messages (replies, notes, automation, automatic replies, CSAT, call records, a VK
/// community's messages written in VK), inside the caller's transaction: one statement inserts the message (once per
/// client message id, once per provider id), moves the conversation as <see cref="NewMessage.Bump"/> says, writes its
/// timeline entry, takes its uploads or stores the provider's files, queues the outbox item of a queued outbound message
/// (or of the files' fetch) and wakes the outbox (the NOTIFY is delivered at commit). The caller pushes after commit.
/// </summary>
public static class MessageWriter
{
    /// <summary>The message's id; <paramref name="Inserted"/> false: its client message id or its provider id was stored before, and this is that message.</summary>
    /// <param name="Attached">How many of the requested uploads it took (fewer: one was not the sender's unsent upload here).</param>
    public sealed record Written(long Id, bool Inserted, long Attached);

    private sealed record Row(long Id, long Attached);

    private const string Sql = """
        with m as (
            insert into messages (conversation_id, channel_id, direction, text, sender_type, sender_user_id, status, client_message_id, reply_to_id,
                                  external_id, metadata, raw, sent_at, created_at, updated_at)
            select c.id, c.channel_id, @direction, @text, case when @sender::bigint is null and not @elsewhere then 'system' else 'user' end, @sender::bigint, @status,
                   @clientMessageId::text, @replyTo::bigint, @externalId::text, @metadata::jsonb, to_jsonb(@raw::text), @sentAt::timestamptz,
                   coalesce(@at::timestamptz, now()), coalesce(@at::timestamptz, now())
            from conversations c where c.id = @conversationId
            on conflict do nothing -- a client message id used before, or a provider id (channel, external id) stored before
            returning id, direction, channel_id
        ), b as (
            update conversations set
                last_message_id = case when m.direction = 'outbound' then m.id else last_message_id end,
                last_preview = case when m.direction = 'outbound' then left(@text::text, 140) else last_preview end,
                last_activity_at = case when @activity then coalesce(@at::timestamptz, now()) else last_activity_at end,
                updated_at = coalesce(@at::timestamptz, now()),
                waiting_since = case when m.direction = 'outbound' and @answers then null else waiting_since end,
                first_reply_at = case when m.direction = 'outbound' and @answers then coalesce(first_reply_at, @at::timestamptz, now()) else first_reply_at end,
                awaiting_first_response = case when m.direction = 'outbound' and @answers then false else awaiting_first_response end,
                sla_breached_at = case when m.direction = 'outbound' and @answers then null else sla_breached_at end,
                assignee_id = case when m.direction = 'outbound' and assignee_id is null and @takeFor::bigint is not null then @takeFor::bigint else assignee_id end,
                assigned_at = case when m.direction = 'outbound' and assignee_id is null and @takeFor::bigint is not null
                                   then coalesce(@at::timestamptz, now()) else assigned_at end
            from m where conversations.id = @conversationId and @bump
        ), t as (
            insert into timeline_entries (lead_id, deal_id, type, at, actor_type, actor_id, data)
            select c.lead_id, c.deal_id, 'message', coalesce(@at::timestamptz, now()), case when @sender::bigint is null then 'system' else 'user' end, @sender::bigint,
                   jsonb_build_object('messageId', m.id, 'conversationId', c.id, 'direction', m.direction, 'preview', left(coalesce(@text, ''), 200),
                                      'channelKind', (select kind from channels where id = m.channel_id))
                   || case when @automated::text is null then '{}'::jsonb else jsonb_build_object('automated', @automated::text) end
            from m, conversations c where c.id = @conversationId and @timeline and (c.lead_id is not null or c.deal_id is not null)
        ), a as (
            update attachments set message_id = m.id from m
            where attachments.id = any(@attachmentIds) and attachments.message_id is null
              and attachments.uploaded_by = @uploadedBy::bigint and attachments.upload_conversation_id = @conversationId
            returning attachments.id
        ), f as (
            insert into attachments (message_id, file_name, content_type, size, external_ref)
            select m.id, f.file_name, f.content_type, f.size, f.external_ref
            from m, jsonb_to_recordset(@files::jsonb) as f(file_name text, content_type text, size bigint, external_ref text)
        ), o as (
            insert into outbox (kind, message_id) select 'send', m.id from m where @queued
            union all
            select @mediaFetch::text, m.id from m where @mediaFetch::text is not null
            returning id
        ), w as (select pg_notify('cc_outbox', '') from o)
        select m.id, (select count(*) from a) as attached from m, (select count(*) from w) as woken
        """;

    public static async Task<Written?> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, NewMessage message, CancellationToken ct)
    {
        var queued = !message.Note && message.SentAt is null;
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Sql, new
        {
            message.ConversationId,
            direction = message.Note ? "note" : "outbound",
            message.Text,
            sender = message.SenderUserId,
            status = queued ? "queued" : "sent",
            message.ClientMessageId,
            replyTo = message.ReplyToId,
            message.ExternalId,
            metadata = Metadata(message),
            message.SentAt,
            message.At,
            bump = message.Bump is not null,
            activity = message.Bump?.Activity ?? false,
            answers = message.Bump?.Answers ?? false,
            takeFor = message.Bump?.TakeFor,
            timeline = message.OnTimeline,
            message.Automated,
            attachmentIds = message.AttachmentIds.ToArray(),
            message.UploadedBy,
            queued,
            elsewhere = message.ByPersonElsewhere,
            message.Raw,
            files = JsonSerializer.Serialize(message.Files.Select(f => new { file_name = f.FileName, content_type = f.ContentType, size = f.Size, external_ref = f.ExternalRef })),
            mediaFetch = message.Files.Any(f => f.ExternalRef is not null) ? message.MediaFetch : null,
        }, tx, cancellationToken: ct));
        if (row is not null)
        {
            return new Written(row.Id, Inserted: true, row.Attached);
        }
        // Nothing inserted: no such conversation, or a conflict. The message stored the first time (committed by now, or the
        // insert would still wait): by its client message id, or by its provider id on the conversation's channel.
        if (message.ClientMessageId is null && message.ExternalId is null)
        {
            return null; // no such conversation
        }
        var existing = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            select m.id from messages m where m.conversation_id = @ConversationId and m.client_message_id = @ClientMessageId
            union all
            select m.id from messages m join conversations c on c.id = @ConversationId
            where m.channel_id = c.channel_id and m.external_id = @ExternalId
            limit 1
            """, new { message.ConversationId, message.ClientMessageId, message.ExternalId }, tx, cancellationToken: ct));
        return existing is { } id ? new Written(id, Inserted: false, 0) : null;
    }

    private static string? Metadata(NewMessage message)
    {
        if (message.Automated is null)
        {
            return message.Metadata is { Count: > 0 } metadata ? JsonSerializer.Serialize(metadata) : null;
        }
        var merged = new Dictionary<string, string>(message.Metadata ?? new Dictionary<string, string>()) { ["automated"] = message.Automated };
        return JsonSerializer.Serialize(merged);
    }
}
