using System.Text.Json;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Messages;
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
        // The customer's newest conversation on this community: the message is the community's answer in it.
        const string target = """
            select c.id from conversations c
            join contact_identities i on i.contact_id = c.contact_id and i.channel_kind = 'vk' and i.address = @peer
            where c.channel_id = @channelId
            order by c.last_activity_at desc nulls last, c.id desc limit 1
            """;
        var metadata = new Dictionary<string, string> { ["via"] = "vk", ["senderName"] = "VK community" };
        if (message.AdminAuthorId is { } admin)
        {
            metadata["vkAdminId"] = admin;
        }
        var files = message.Attachments.Select(a => new ProviderFile(FileNames.Clean(Inbound.StorableText.Clean(a.FileName)),
            Inbound.StorableText.Clean(a.ContentType) ?? "application/octet-stream", a.Size, Inbound.StorableText.Clean(a.ExternalRef))).ToList();
        var now = clock.GetUtcNow();
        MessageWriter.Written? written;
        await using (var tx = await connection.BeginTransactionAsync(cancellationToken))
        {
            var conversationId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(target,
                new { peer = message.PeerAddress, message.ChannelId }, tx, cancellationToken: cancellationToken));
            if (conversationId is not { } id)
            {
                return VkRecordResult.NoConversation;
            }
            // Stored as sent (it was, in VK): no outbox item sends it back; it answers the customer like a reply from here.
            written = await MessageWriter.WriteAsync(connection, tx, new NewMessage(id, Note: false, Inbound.StorableText.Clean(message.Text), now)
            {
                ByPersonElsewhere = true,
                ExternalId = message.ExternalId,
                Metadata = metadata,
                Raw = Inbound.StorableText.Clean(message.RawPayload),
                SentAt = Inbound.InboundTimestamps.Utc(message.SentAt, now) ?? now,
                Bump = new ConversationBump(Activity: true, Answers: true),
                OnTimeline = true,
                Files = files,
                MediaFetch = "media:vk",
            }, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        if (written is not { Inserted: true })
        {
            return VkRecordResult.Duplicate; // its (channel, external id) is stored already
        }
        await PushAsync(() => notifier.MessageCreatedAsync(written.Id, CancellationToken.None), written.Id);
        return VkRecordResult.Stored;
    }

    public async Task<bool> EditCommunityMessageAsync(long channelId, string externalId, string? text, DateTimeOffset editedAt, CancellationToken cancellationToken)
    {
        const string sql = $"""
            with m as (
                update messages m set {Inbound.MessageEditSql.Set}
                where m.channel_id = @channelId and m.external_id = @externalId and m.direction = 'outbound' and {Inbound.MessageEditSql.NotOlder}
                returning m.id, m.conversation_id
            ), {Inbound.MessageEditSql.Preview}
            select id from m
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
