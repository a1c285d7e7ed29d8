using ContactCenter.Api.Features.Conversations;
using ContactCenter.Connectors.WhatsApp;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.WhatsApp;

/// <summary>Opt-out state per (whatsapp channel, customer), and the reply guard that turns it into a 409 — the SMS rule.</summary>
public sealed class WhatsAppOptOutStore(NpgsqlDataSource db) : IWhatsAppOptOuts
{
    public const string Code = "whatsapp-opted-out";

    public const string Refusal = "This customer opted out of WhatsApp messages from this channel (they wrote STOP). Nothing can be sent until they write START.";

    public async Task RecordAsync(long channelId, string waId, bool optedOut, string keyword, long messageId, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into whatsapp_opt_outs (channel_id, wa_id, opted_out, keyword, message_id)
            values (@channelId, @waId, @optedOut, @keyword, @messageId)
            on conflict (channel_id, wa_id) do update set
                opted_out = excluded.opted_out, keyword = excluded.keyword, message_id = excluded.message_id, updated_at = now()
            where whatsapp_opt_outs.message_id <= excluded.message_id
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { channelId, waId, optedOut, keyword, messageId }, cancellationToken: cancellationToken));
    }

    public async Task<bool> IsOptedOutAsync(long channelId, string waId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists(select 1 from whatsapp_opt_outs where channel_id = @channelId and wa_id = @waId and opted_out)",
            new { channelId, waId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// A reply guard: refuses anything (free text or a template) on a whatsapp conversation whose customer opted out. The
    /// customer is the contact's first whatsapp identity, the one the send handler writes to.
    /// </summary>
    public async Task<ConversationService.Refusal?> GuardAsync(long conversationId, ConversationService.ReplyParts parts, CancellationToken ct)
    {
        const string sql = """
            select exists(
                select 1 from conversations c
                join channels ch on ch.id = c.channel_id and ch.kind = 'whatsapp'
                join lateral (select i.address from contact_identities i where i.contact_id = c.contact_id and i.channel_kind = 'whatsapp'
                              order by i.id limit 1) i on true
                join whatsapp_opt_outs o on o.channel_id = c.channel_id and o.wa_id = i.address and o.opted_out
                where c.id = @conversationId)
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { conversationId }, cancellationToken: ct))
            ? new ConversationService.Refusal(Refusal, Code) : null;
    }
}
