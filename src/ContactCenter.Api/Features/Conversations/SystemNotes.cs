using ContactCenter.Api.Features.Messages;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// Connectors' notices in a conversation ("The customer blocked the bot"): a `note` message from System with
/// `metadata.notice`, not repeated while it is still the newest notice since the customer's last message (blocked,
/// unblocked, blocked again gives three notes; five failing sends to a blocked bot give one); pushed as `messageCreated`
/// after commit.
/// </summary>
public sealed class SystemNotes(NpgsqlDataSource db, IConversationPushes notifier) : IConversationNotes
{
    public async Task<bool> AddOnceForContactAsync(long channelId, string address, string key, string text, CancellationToken cancellationToken)
    {
        long? conversationId;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            conversationId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
                select c.id from channels ch
                join contact_identities i on i.channel_kind = ch.kind and i.address = @address
                join conversations c on c.channel_id = ch.id and c.contact_id = i.contact_id
                where ch.id = @channelId
                order by c.last_activity_at desc nulls last, c.id desc limit 1
                """, new { channelId, address }, cancellationToken: cancellationToken));
        }
        return conversationId is { } id && await AddOnceAsync(id, key, text, cancellationToken);
    }

    public async Task<bool> AddOnceAsync(long conversationId, string key, string text, CancellationToken cancellationToken)
    {
        // The conversation's row lock makes two failing sends of one conversation add one note, not two; the check is a
        // statement of its own so that it sees a note the other one committed while this one waited for the lock.
        const string due = """
            select coalesce((
                select n.metadata->>'notice' from messages n
                where n.conversation_id = c.id and n.direction = 'note' and n.sender_type = 'system' and n.metadata ? 'notice'
                  and n.id > coalesce((select max(i.id) from messages i where i.conversation_id = c.id and i.direction = 'inbound'), 0)
                order by n.id desc limit 1), '') <> @key
            from conversations c where c.id = @conversationId
            """;
        long? id = null;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        await using (var tx = await connection.BeginTransactionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "select 1 from conversations where id = @conversationId for no key update", new { conversationId }, tx, cancellationToken: cancellationToken));
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(due, new { conversationId, key }, tx, cancellationToken: cancellationToken)))
            {
                var written = await MessageWriter.WriteAsync(connection, tx, new NewMessage(conversationId, Note: true, text, At: null)
                {
                    Metadata = new Dictionary<string, string> { ["notice"] = key },
                }, cancellationToken);
                id = written?.Id;
            }
            await tx.CommitAsync(cancellationToken);
        }
        if (id is null)
        {
            return false;
        }
        await notifier.MessageCreatedAsync(id.Value, cancellationToken);
        return true;
    }

    /// <summary>
    /// A state change recorded in the thread (snoozed, woken) inside the caller's transaction: a `note` from System with
    /// `metadata.notice` = <paramref name="key"/> plus <paramref name="extra"/> (messages read metadata as string pairs).
    /// The caller pushes it after commit.
    /// </summary>
    public static async Task<long> AddInTransactionAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long conversationId, string key, string text,
        IReadOnlyDictionary<string, string> extra, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string> { ["notice"] = key };
        foreach (var (name, value) in extra)
        {
            metadata[name] = value;
        }
        var written = await MessageWriter.WriteAsync(connection, tx, new NewMessage(conversationId, Note: true, text, at) { Metadata = metadata }, cancellationToken);
        return written?.Id ?? throw new InvalidOperationException($"Conversation {conversationId} does not exist.");
    }
}
