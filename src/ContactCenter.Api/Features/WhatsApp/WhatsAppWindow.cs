using ContactCenter.Api.Features.Conversations;
using ContactCenter.Connectors.WhatsApp;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.WhatsApp;

/// <summary>
/// WhatsApp's 24-hour customer-service window: free-form messages may go to a customer only within 24 hours of their
/// last message to this number (the time WhatsApp stamped on it, `sent_at`); after that only an approved template.
/// The guard refuses a free-form reply outside the window before anything is queued (Meta would refuse it with 131047).
/// </summary>
public sealed class WhatsAppWindow(NpgsqlDataSource db, TimeProvider clock) : IReplyGuard
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(24);

    public const string ClosedCode = "whatsapp-window-closed";

    /// <param name="LastInboundAt">The customer's last message to this channel, or null when they never wrote.</param>
    /// <param name="ClosesAt">When free-form replies stop being allowed (null when they never wrote).</param>
    public sealed record State(long ChannelId, bool Open, DateTimeOffset? LastInboundAt, DateTimeOffset? ClosesAt);

    /// <returns>null when the conversation is not on a whatsapp channel.</returns>
    public async Task<State?> GetAsync(long conversationId, CancellationToken ct)
    {
        // Every conversation of this contact on this channel: the window belongs to the pair (business number, customer).
        const string sql = """
            select c.channel_id, ch.kind,
                   (select max(coalesce(m.sent_at, m.created_at)) from conversations c2 join messages m on m.conversation_id = c2.id
                    where c2.channel_id = c.channel_id and c2.contact_id = c.contact_id and m.direction = 'inbound') as last_inbound_at
            from conversations c join channels ch on ch.id = c.channel_id where c.id = @conversationId
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(long ChannelId, string Kind, DateTime? LastInboundAt)>(
            new CommandDefinition(sql, new { conversationId }, cancellationToken: ct));
        if (row.Kind != ChannelKinds.WhatsApp)
        {
            return null;
        }
        DateTimeOffset? last = row.LastInboundAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
        var closes = last + Length;
        return new State(row.ChannelId, closes > clock.GetUtcNow(), last, closes);
    }

    /// <summary>A reply guard: free text outside the window is refused with <see cref="ClosedCode"/>; a template passes.</summary>
    public async Task<ConversationService.Refusal?> CheckAsync(long conversationId, ConversationService.ReplyParts parts, CancellationToken ct)
    {
        if (parts.Metadata?.ContainsKey(WhatsAppTemplate.MetadataKey) == true || await GetAsync(conversationId, ct) is not { Open: false } state)
        {
            return null;
        }
        var since = state.LastInboundAt is { } last ? $" (the customer last wrote {last:yyyy-MM-dd HH:mm} UTC)" : " (the customer has not written to this number)";
        return new ConversationService.Refusal(
            $"The WhatsApp 24-hour customer-service window is closed{since}: a free-form message cannot be sent. Send an approved template instead.",
            ClosedCode);
    }
}
