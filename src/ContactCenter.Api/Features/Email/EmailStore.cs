using System.Text.Json;
using ContactCenter.Connectors.Email;
using Dapper;
using Npgsql;
using static ContactCenter.Connectors.Email.IEmailStore;

namespace ContactCenter.Api.Features.Email;

/// <summary>
/// The email connector's SQL, kept by the host: enabled mailboxes and reader nodes, mailbox leases with their sync state
/// (table email_mailbox_state, migration 0300, in <see cref="MailboxLease"/>), thread lookups by Message-ID, and what an
/// outbound reply needs to thread in the customer's mail client.
/// </summary>
public sealed class EmailStore(NpgsqlDataSource db) : IEmailStore
{
    public async Task<List<EmailChannelRow>> ListEnabledChannelsAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<EmailChannelRow>(new CommandDefinition(
            "select id, settings::text as settings, updated_at from channels where kind = 'email' and enabled order by id", cancellationToken: ct))).ToList();
    }

    /// <summary>Records this node's heartbeat, forgets nodes silent for longer than <paramref name="timeout"/>, and returns how many read mail.</summary>
    public async Task<int> HeartbeatAsync(string nodeId, TimeSpan timeout, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            insert into email_reader_nodes (node_id, seen_at) values (@nodeId, now())
            on conflict (node_id) do update set seen_at = excluded.seen_at;
            delete from email_reader_nodes where seen_at < now() - @timeout;
            select count(*)::int from email_reader_nodes;
            """, new { nodeId, timeout }, cancellationToken: ct));
    }

    /// <summary>A node that stops reading says so, so the others take its mailboxes at their next scan.</summary>
    public async Task LeaveAsync(string nodeId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("delete from email_reader_nodes where node_id = @nodeId", new { nodeId }, cancellationToken: ct));
    }

    public async Task<IMailboxLease?> TryLeaseMailboxAsync(long channelId, CancellationToken ct) =>
        await MailboxLease.TryAcquireAsync(db, channelId, ct);

    /// <summary>
    /// The thread (conversation thread_key) a reply belongs to: a referenced Message-ID (ours or theirs) stored on this
    /// channel, then the subject token `[#CC-n]`; only when that conversation's contact is the sender.
    /// </summary>
    public async Task<string?> FindThreadAsync(long channelId, string senderAddress, IReadOnlyList<string> referencedIds, long? tokenConversationId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (referencedIds.Count > 0)
        {
            const string byReference = """
                select c.thread_key from messages m
                join conversations c on c.id = m.conversation_id
                join contact_identities i on i.contact_id = c.contact_id and i.channel_kind = 'email'
                where m.channel_id = @channelId and m.external_id = any(@ids) and i.address = @senderAddress
                order by m.id desc limit 1
                """;
            var key = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(byReference,
                new { channelId, ids = referencedIds.ToArray(), senderAddress }, cancellationToken: ct));
            if (key is not null)
            {
                return key;
            }
        }
        if (tokenConversationId is { } conversationId)
        {
            const string byToken = """
                select c.thread_key from conversations c
                join contact_identities i on i.contact_id = c.contact_id and i.channel_kind = 'email'
                where c.id = @conversationId and c.channel_id = @channelId and i.address = @senderAddress
                """;
            return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(byToken,
                new { channelId, conversationId, senderAddress }, cancellationToken: ct));
        }
        return null;
    }

    public async Task<bool> IsAnotherEmailAsync(long channelId, string externalId, string fingerprint, CancellationToken ct)
    {
        const string sql = """
            select exists (select 1 from messages where channel_id = @channelId and external_id = @externalId
                and metadata ? 'fingerprint' and metadata->>'fingerprint' <> @fingerprint)
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { channelId, externalId, fingerprint }, cancellationToken: ct));
    }

    public async Task<ThreadInfo> LoadThreadAsync(long conversationId, long excludeMessageId, CancellationToken ct)
    {
        const string sql = """
            select
                (select p.metadata->>'messageId' from messages p
                 where p.conversation_id = @conversationId and p.id <> @excludeMessageId and p.metadata ? 'messageId'
                   and (p.direction = 'inbound' or p.status in ('sent', 'delivered', 'read'))
                 order by p.id desc limit 1) as parent_message_id,
                (select p.metadata->>'references' from messages p
                 where p.conversation_id = @conversationId and p.id <> @excludeMessageId and p.metadata ? 'messageId'
                   and (p.direction = 'inbound' or p.status in ('sent', 'delivered', 'read'))
                 order by p.id desc limit 1) as parent_references,
                (select s.metadata->>'subject' from messages s
                 where s.conversation_id = @conversationId and s.direction in ('inbound', 'outbound') and coalesce(s.metadata->>'subject', '') <> ''
                 order by s.id limit 1) as subject
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<ThreadInfo>(new CommandDefinition(sql, new { conversationId, excludeMessageId }, cancellationToken: ct));
    }

    /// <summary>Adds provider facts (all strings: clients read metadata as a string map) to a message's metadata.</summary>
    public async Task MergeMetadataAsync(long messageId, IReadOnlyDictionary<string, string> metadata, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "update messages set metadata = coalesce(metadata, '{}'::jsonb) || @metadata::jsonb, updated_at = now() where id = @messageId",
            new { messageId, metadata = JsonSerializer.Serialize(metadata) }, cancellationToken: ct));
    }

    /// <summary>
    /// The SMTP part of a channel's status error (the set-up check joins "IMAP ..." and "SMTP ..." with a space), or null:
    /// from the first of the texts this connector starts an SMTP problem with ("SMTP: ...", "SMTP login failed for ..."),
    /// so a server's words in the IMAP half ("mail SMTP relay") are not taken for it.
    /// </summary>
    private const string SmtpPart = "substring(status_error from '(?:^| )(SMTP(?:: | login failed for ).*)$')";

    /// <summary>
    /// Clears a status error the reader set itself (errors of the set-up check about SMTP stay): connection errors on
    /// connect; with <paramref name="storeFailure"/>, the report of an email that could not be stored, once it is.
    /// </summary>
    public async Task ClearImapErrorAsync(long channelId, bool storeFailure, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition($"""
            update channels set status_error = {SmtpPart}
            where id = @channelId and status_error like 'IMAP%' and (status_error like @prefix) = @storeFailure
            """, new { channelId, prefix = MailboxReader.StoreFailurePrefix + "%", storeFailure }, cancellationToken: ct));
    }

    public async Task SetImapErrorAsync(long channelId, string error, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition($"""
            update channels set status_error = @error || coalesce(' ' || {SmtpPart}, '') where id = @channelId
            """, new { channelId, error }, cancellationToken: ct));
    }
}
