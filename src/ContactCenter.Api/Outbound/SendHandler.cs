using System.Text.Json.Nodes;
using ContactCenter.Api.Realtime;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Outbound;

/// <summary>
/// Outbox work `send`: hands a queued reply to its channel's sender and records the outcome on the message
/// (sent / delivered / failed with a reason), pushing every change as `messageUpdated`.
/// </summary>
public sealed class SendHandler(NpgsqlDataSource db, IEnumerable<IChannelSender> senders, InboxNotifier notifier, ILogger<SendHandler> logger) : IOutboxHandler
{
    private readonly Dictionary<string, IChannelSender> byKind = senders.ToDictionary(s => s.Kind);

    public string Kind => "send";

    private sealed class Row
    {
        public long Id { get; init; }
        public long ConversationId { get; init; }
        public string Text { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public string? ReplyToExternalId { get; init; }
        public string ThreadKey { get; init; } = "";
        public long ContactId { get; init; }
        public string? ContactName { get; init; }
        public string? ContactEmail { get; init; }
        public string? ContactPhone { get; init; }
        public string? Address { get; init; }
        public long ChannelId { get; init; }
        public string ChannelKind { get; init; } = "";
        public string ChannelName { get; init; } = "";
        public bool ChannelEnabled { get; init; }
        public string ChannelSettings { get; init; } = "{}";
        public string? ChannelPublicKey { get; init; }
        public bool Automated { get; init; }
        public string? Metadata { get; init; }
    }

    private const string Load = """
        select m.id, m.conversation_id, coalesce(m.text, '') as text, m.status, m.created_at,
               (select r.external_id from messages r where r.id = m.reply_to_id) as reply_to_external_id,
               c.thread_key, c.contact_id, ct.name as contact_name, ct.email as contact_email, ct.phone as contact_phone,
               coalesce(
                   -- The address that last wrote in this conversation (an email contact may have several; after a merge the
                   -- first identity is another conversation's), while it is still one of the contact's.
                   (select i.address from messages w join contact_identities i
                        on i.contact_id = c.contact_id and i.channel_kind = ch.kind and i.address = w.metadata->>'senderAddress'
                    where w.conversation_id = m.conversation_id and w.direction = 'inbound' and w.metadata ? 'senderAddress'
                    order by w.id desc limit 1),
                   (select i.address from contact_identities i where i.contact_id = c.contact_id and i.channel_kind = ch.kind order by i.id limit 1)) as address,
               ch.id as channel_id, ch.kind as channel_kind, ch.name as channel_name, ch.enabled as channel_enabled,
               ch.settings::text as channel_settings, ch.public_key as channel_public_key, m.sender_type = 'system' as automated,
               m.metadata::text as metadata
        from messages m join conversations c on c.id = m.conversation_id join contacts ct on ct.id = c.contact_id join channels ch on ch.id = m.channel_id
        where m.id = @messageId
        """;

    public async Task<OutboxResult> HandleAsync(OutboxItem item, bool lastAttempt, CancellationToken ct)
    {
        Row? row;
        List<OutboundAttachment> attachments;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Load, new { messageId = item.MessageId }, cancellationToken: ct));
            attachments = (await connection.QueryAsync<OutboundAttachment>(new CommandDefinition(
                "select id, file_name, content_type, coalesce(size, 0) as size, storage_path from attachments where message_id = @messageId and storage_path is not null order by id",
                new { messageId = item.MessageId }, cancellationToken: ct))).ToList();
        }
        if (row is null || row.Status is "sent" or "delivered" or "read")
        {
            return new OutboxResult.Done(); // already delivered by an earlier run of this item
        }
        var channel = new ChannelInfo(row.ChannelId, row.ChannelKind, row.ChannelName, row.ChannelEnabled, JsonNode.Parse(row.ChannelSettings)!.AsObject(), row.ChannelPublicKey);
        SendOutcome outcome;
        if (!channel.Enabled)
        {
            outcome = new SendOutcome.Failed("The channel is disabled.");
        }
        else if (!byKind.TryGetValue(channel.Kind, out var sender))
        {
            outcome = new SendOutcome.Failed($"Replies cannot be sent on {channel.Kind} channels.");
        }
        else if (row.Address is null)
        {
            outcome = new SendOutcome.Failed("The contact has no address on this channel.");
        }
        else
        {
            var message = new OutboundMessage(row.Id, row.ConversationId, channel,
                new OutboundRecipient(row.ContactId, row.Address, row.ContactName, row.ContactEmail, row.ContactPhone),
                row.ThreadKey.Length == 0 ? null : row.ThreadKey, row.Text, row.ReplyToExternalId, attachments, item.Attempts, row.CreatedAt)
            {
                Automated = row.Automated,
                Metadata = MetadataOf(row.Metadata),
            };
            outcome = await SendSafelyAsync(sender, message, ct);
        }
        if (outcome is SendOutcome.Retry retry && lastAttempt)
        {
            outcome = new SendOutcome.Failed($"Gave up after {item.Attempts} attempts: {retry.Reason}");
        }
        await RecordAsync(row.Id, outcome, ct);
        return outcome switch
        {
            SendOutcome.Retry r => new OutboxResult.Retry(r.Reason, r.RetryAfter),
            SendOutcome.Failed f => new OutboxResult.Failed(f.Reason),
            _ => new OutboxResult.Done(),
        };
    }

    /// <summary>
    /// A sender's own failures are outcomes; anything it lets escape (a stored file gone or unreadable, a bug) becomes
    /// one here, so the message is always recorded — retried, and failed with its reason after the last attempt —
    /// instead of staying "queued" while only the outbox row fails.
    /// </summary>
    private async Task<SendOutcome> SendSafelyAsync(IChannelSender sender, OutboundMessage message, CancellationToken ct)
    {
        try
        {
            return await sender.SendAsync(message, ct);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new SendOutcome.Failed("A file of this reply is no longer in storage.");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Sending message {MessageId} on {Kind} threw", message.MessageId, sender.Kind);
            return new SendOutcome.Retry($"Sending failed unexpectedly: {ex.Message}");
        }
    }

    /// <summary>The message's string facts (a WhatsApp template, parts already sent) for its sender; other values are skipped.</summary>
    private static Dictionary<string, string>? MetadataOf(string? json) => json is null || JsonNode.Parse(json) is not JsonObject o ? null
        : o.Where(p => p.Value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

    private async Task RecordAsync(long messageId, SendOutcome outcome, CancellationToken ct)
    {
        var (status, externalId, error) = outcome switch
        {
            SendOutcome.Sent s => (s.Status, s.ExternalId, (string?)null),
            SendOutcome.Retry r => ("queued", null, $"Retrying: {r.Reason}"),
            SendOutcome.Failed f => ("failed", null, f.Reason),
            _ => throw new InvalidOperationException(),
        };
        if (outcome is SendOutcome.Failed failed)
        {
            logger.LogWarning("Message {MessageId} failed: {Reason}", messageId, failed.Reason);
        }
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            // A status callback may already have moved the message further (delivered): never go back.
            await connection.ExecuteAsync(new CommandDefinition("""
                update messages set
                    status = case when status in ('delivered', 'read') and @status in ('sent', 'queued') then status else @status end,
                    external_id = coalesce(@externalId, external_id), error = @error, updated_at = now()
                where id = @messageId
                """, new { messageId, status, externalId, error }, cancellationToken: ct));
            if (externalId is not null)
            {
                // A delivery report that came before this send recorded the id (kept by MessageStatusSink) applies now.
                await MessageStatusSink.ApplyEarlyAsync(connection, messageId, externalId, ct);
            }
        }
        await notifier.MessageUpdatedAsync(messageId, ct);
    }
}
