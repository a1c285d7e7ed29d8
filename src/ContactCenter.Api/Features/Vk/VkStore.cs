using System.Text.Json;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Realtime;
using ContactCenter.Connectors.Vk;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Vk;

/// <summary>
/// The VK connector's storage: who denied messages from the community (and the reply guard that turns it into a 409),
/// and the community's own messages written in VK itself (`message_reply`), stored as sent outbound messages so the
/// conversation shows both sides; they have no outbox row, so they are never sent back to VK.
/// </summary>
public sealed class VkStore(NpgsqlDataSource db, InboxNotifier notifier, TimeProvider clock, ILogger<VkStore> logger) : IVkStore, IReplyGuard
{
    public const string Refusal = "This customer denied messages from the VK community: nothing can be sent until they allow messages again (or write to the community).";

    public async Task<bool> SetPermissionAsync(long channelId, string userId, bool allowed, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var old = await connection.QuerySingleOrDefaultAsync<(bool Allowed, DateTimeOffset ChangedAt)?>(new CommandDefinition(
            "select allowed, changed_at from vk_message_permissions where channel_id = @channelId and user_id = @userId for update",
            new { channelId, userId }, tx, cancellationToken: cancellationToken));
        if (old is null && allowed)
        {
            return false; // allowed is the state of everyone without a row
        }
        if (old is { } known && known.ChangedAt > at)
        {
            return false; // an older event than the one that set the state
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into vk_message_permissions (channel_id, user_id, allowed, changed_at) values (@channelId, @userId, @allowed, @at)
            on conflict (channel_id, user_id) do update set allowed = excluded.allowed, changed_at = greatest(vk_message_permissions.changed_at, excluded.changed_at)
            """, new { channelId, userId, allowed, at = at.ToUniversalTime() }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return old is null || old.Value.Allowed != allowed;
    }

    /// <summary>The reply guard: refuses a reply on a vk conversation whose customer denied messages.</summary>
    public async Task<ConversationService.Refusal?> CheckAsync(long conversationId, ConversationService.ReplyParts parts, CancellationToken ct)
    {
        const string sql = """
            select exists(
                select 1 from conversations c
                join channels ch on ch.id = c.channel_id and ch.kind = 'vk'
                join contact_identities i on i.contact_id = c.contact_id and i.channel_kind = 'vk'
                join vk_message_permissions p on p.channel_id = c.channel_id and p.user_id = i.address and not p.allowed
                where c.id = @conversationId)
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { conversationId }, cancellationToken: ct)) ? new ConversationService.Refusal(Refusal) : null;
    }

    private sealed record Candidate(long Id, long ChannelId, DateTimeOffset CreatedAt);

    private sealed record Recorded(long? MessageId, long Targets);

    private sealed record StoredAttachment(string file_name, string content_type, long? size, string? external_ref);

    public async Task<VkRecordResult> RecordCommunityMessageAsync(VkCommunityMessage message, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        if (message.RandomId != 0)
        {
            var candidate = await connection.QuerySingleOrDefaultAsync<Candidate>(new CommandDefinition(
                "select id, channel_id, created_at from messages where id = @id and channel_id = @channelId and direction = 'outbound'",
                new { id = VkRandomId.MessageIdOf(message.RandomId), channelId = message.ChannelId }, cancellationToken: cancellationToken));
            if (candidate is not null && VkRandomId.Matches(message.RandomId, candidate.ChannelId, candidate.Id, candidate.CreatedAt))
            {
                return VkRecordResult.OwnSend;
            }
        }
        const string sql = """
            with target as (
                select c.id, c.lead_id, c.deal_id from conversations c
                join contact_identities i on i.contact_id = c.contact_id and i.channel_kind = 'vk' and i.address = @peer
                where c.channel_id = @channelId
                order by c.last_activity_at desc nulls last, c.id desc limit 1
            ), m as (
                insert into messages (conversation_id, channel_id, direction, text, sender_type, status, external_id, metadata, raw, sent_at, created_at, updated_at)
                select t.id, @channelId, 'outbound', @text, 'user', 'sent', @externalId, @metadata::jsonb, to_jsonb(@raw::text), @sentAt, @now, @now
                from target t
                on conflict (channel_id, external_id) where external_id is not null do nothing
                returning id, conversation_id
            ), a as (
                insert into attachments (message_id, file_name, content_type, size, external_ref)
                select m.id, f.file_name, f.content_type, f.size, f.external_ref
                from m, jsonb_to_recordset(@attachments::jsonb) as f(file_name text, content_type text, size bigint, external_ref text)
            ), c as (
                update conversations set last_message_id = m.id, last_activity_at = @now, updated_at = @now,
                    waiting_since = null, awaiting_first_response = false, sla_breached_at = null, first_reply_at = coalesce(first_reply_at, @now)
                from m where conversations.id = m.conversation_id
            ), t as (
                insert into timeline_entries (lead_id, deal_id, type, at, actor_type, actor_id, data)
                select target.lead_id, target.deal_id, 'message', @now, 'system', null,
                       jsonb_build_object('messageId', m.id, 'conversationId', m.conversation_id, 'direction', 'outbound', 'channelKind', 'vk', 'preview', left(coalesce(@text, ''), 200))
                from m, target where target.lead_id is not null or target.deal_id is not null
            ), o as (
                insert into outbox (kind, message_id, payload) select 'media:vk', m.id, '{}'::jsonb from m where @fetchMedia
            )
            select (select id from m) as message_id, (select count(*) from target) as targets
            """;
        var metadata = new Dictionary<string, string> { ["via"] = "vk", ["senderName"] = "VK community" };
        if (message.AdminAuthorId is { } admin)
        {
            metadata["vkAdminId"] = admin;
        }
        var attachments = message.Attachments.Select(a => new StoredAttachment(FileNames.Clean(Inbound.StorableText.Clean(a.FileName)), Inbound.StorableText.Clean(a.ContentType) ?? "application/octet-stream", a.Size, Inbound.StorableText.Clean(a.ExternalRef))).ToList();
        var now = clock.GetUtcNow();
        var fetchMedia = attachments.Any(a => a.external_ref is not null);
        Recorded recorded;
        await using (var tx = await connection.BeginTransactionAsync(cancellationToken))
        {
            recorded = await connection.QuerySingleAsync<Recorded>(new CommandDefinition(sql, new
            {
                peer = message.PeerAddress, message.ChannelId, text = Inbound.StorableText.Clean(message.Text), message.ExternalId,
                metadata = JsonSerializer.Serialize(metadata), raw = Inbound.StorableText.Clean(message.RawPayload),
                sentAt = Inbound.InboundTimestamps.Utc(message.SentAt, now) ?? now, now, attachments = JsonSerializer.Serialize(attachments), fetchMedia,
            }, tx, cancellationToken: cancellationToken));
            if (recorded.MessageId is not null && fetchMedia)
            {
                await connection.ExecuteAsync(new CommandDefinition("select pg_notify('cc_outbox', '')", transaction: tx, cancellationToken: cancellationToken));
            }
            await tx.CommitAsync(cancellationToken);
        }
        if (recorded.MessageId is not { } id)
        {
            return recorded.Targets == 0 ? VkRecordResult.NoConversation : VkRecordResult.Duplicate;
        }
        await PushAsync(() => notifier.MessageCreatedAsync(id, CancellationToken.None), id);
        return VkRecordResult.Stored;
    }

    public async Task<bool> EditCommunityMessageAsync(long channelId, string externalId, string? text, DateTimeOffset editedAt, CancellationToken cancellationToken)
    {
        // The first text is kept once (originalText); an older edit arriving after a newer one changes nothing.
        const string sql = """
            update messages m set
                metadata = coalesce(m.metadata, '{}'::jsonb)
                    || case when m.metadata ? 'originalText' then '{}'::jsonb else jsonb_build_object('originalText', coalesce(m.text, '')) end
                    || jsonb_build_object('edited', 'true', 'editedAt', @editedAt::text),
                text = @text, updated_at = now()
            where m.channel_id = @channelId and m.external_id = @externalId and m.direction = 'outbound'
              and (m.metadata->>'editedAt' is null or m.metadata->>'editedAt' <= @editedAt::text)
            returning m.id
            """;
        var at = editedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        long? id;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql,
                new { channelId, externalId, text = Inbound.StorableText.Clean(text), editedAt = at }, cancellationToken: cancellationToken));
        }
        if (id is { } messageId)
        {
            await PushAsync(() => notifier.MessageUpdatedAsync(messageId, CancellationToken.None), messageId);
        }
        return id is not null;
    }

    private async Task PushAsync(Func<Task> push, long messageId)
    {
        try
        {
            await push();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Stored is what counts (VK must get its `ok`); a client that missed the push re-reads through REST.
            logger.LogWarning(ex, "Push of VK community message {MessageId} failed", messageId);
        }
    }
}
