using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Channels;

/// <summary>
/// Opt-out state per (channel, customer address) for a channel kind whose customers opt out by keyword (STOP/START):
/// a table `(channel_id, {address}, opted_out, keyword, message_id, updated_at)` keyed by channel and address. The
/// latest keyword message wins, whatever order the messages were stored in. The table and column names are constants
/// of the stores that use this, never input.
/// </summary>
public sealed class OptOutTable(NpgsqlDataSource db, string table, string addressColumn, string channelKind)
{
    public async Task RecordAsync(long channelId, string address, bool optedOut, string keyword, long messageId, CancellationToken ct)
    {
        var sql = $"""
            insert into {table} (channel_id, {addressColumn}, opted_out, keyword, message_id)
            values (@channelId, @address, @optedOut, @keyword, @messageId)
            on conflict (channel_id, {addressColumn}) do update set
                opted_out = excluded.opted_out, keyword = excluded.keyword, message_id = excluded.message_id, updated_at = now()
            where {table}.message_id <= excluded.message_id
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { channelId, address, optedOut, keyword, messageId }, cancellationToken: ct));
    }

    public async Task<bool> IsOptedOutAsync(long channelId, string address, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"select exists(select 1 from {table} where channel_id = @channelId and {addressColumn} = @address and opted_out)",
            new { channelId, address }, cancellationToken: ct));
    }

    /// <summary>
    /// Whether the conversation is on a channel of this kind and its customer opted out. The customer is the contact's
    /// first identity of the kind, the one the send handler writes to.
    /// </summary>
    public async Task<bool> BlocksRepliesAsync(long conversationId, CancellationToken ct)
    {
        var sql = $"""
            select exists(
                select 1 from conversations c
                join channels ch on ch.id = c.channel_id and ch.kind = @channelKind
                join lateral (select i.address from contact_identities i where i.contact_id = c.contact_id and i.channel_kind = @channelKind
                              order by i.id limit 1) i on true
                join {table} o on o.channel_id = c.channel_id and o.{addressColumn} = i.address and o.opted_out
                where c.id = @conversationId)
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { conversationId, channelKind }, cancellationToken: ct));
    }
}
