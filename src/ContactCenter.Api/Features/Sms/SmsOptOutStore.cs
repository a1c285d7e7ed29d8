using ContactCenter.Connectors.Sms;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Sms;

/// <summary>Opt-out state per (sms channel, number), and the reply guard that turns it into a 409.</summary>
public sealed class SmsOptOutStore(NpgsqlDataSource db) : ISmsOptOuts
{
    public const string Refusal = "This number opted out of SMS from this channel (it texted STOP). Nothing can be sent until it texts START.";

    public async Task RecordAsync(long channelId, string phone, bool optedOut, string keyword, long messageId, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into sms_opt_outs (channel_id, phone, opted_out, keyword, message_id)
            values (@channelId, @phone, @optedOut, @keyword, @messageId)
            on conflict (channel_id, phone) do update set
                opted_out = excluded.opted_out, keyword = excluded.keyword, message_id = excluded.message_id, updated_at = now()
            where sms_opt_outs.message_id <= excluded.message_id
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { channelId, phone, optedOut, keyword, messageId }, cancellationToken: cancellationToken));
    }

    public async Task<bool> IsOptedOutAsync(long channelId, string phone, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists(select 1 from sms_opt_outs where channel_id = @channelId and phone = @phone and opted_out)",
            new { channelId, phone }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// A ConversationService reply guard: refuses a reply on an sms conversation whose number opted out. The number is
    /// the contact's first sms identity, the one the send handler texts.
    /// </summary>
    public async Task<string?> GuardAsync(long conversationId, CancellationToken ct)
    {
        const string sql = """
            select exists(
                select 1 from conversations c
                join channels ch on ch.id = c.channel_id and ch.kind = 'sms'
                join lateral (select i.address from contact_identities i where i.contact_id = c.contact_id and i.channel_kind = 'sms'
                              order by i.id limit 1) i on true
                join sms_opt_outs o on o.channel_id = c.channel_id and o.phone = i.address and o.opted_out
                where c.id = @conversationId)
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { conversationId }, cancellationToken: ct)) ? Refusal : null;
    }
}
