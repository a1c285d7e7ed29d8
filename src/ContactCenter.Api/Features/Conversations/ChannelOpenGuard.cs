using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// A reply through a channel that is switched off or archived is refused when it is written (409, `channel-closed`), not
/// accepted and then failed by the outbox with "The channel is disabled" and a Retry that cannot work (an outside review:
/// a manager had the conversation open when the admin archived its channel). Private notes are not guarded.
/// </summary>
public sealed class ChannelOpenGuard(NpgsqlDataSource db) : IReplyGuard
{
    public async Task<ConversationService.Refusal?> CheckAsync(long conversationId, ConversationService.ReplyParts parts, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var open = await connection.ExecuteScalarAsync<bool?>(new CommandDefinition("""
            select ch.enabled and ch.archived_at is null from conversations c join channels ch on ch.id = c.channel_id where c.id = @conversationId
            """, new { conversationId }, cancellationToken: ct));
        return open == false
            ? new ConversationService.Refusal("The channel of this conversation is switched off or archived: replies cannot be sent through it.", "channel-closed")
            : null;
    }
}
