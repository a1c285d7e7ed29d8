using ContactCenter.Api.Realtime;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Outbound;

/// <summary>
/// Applies provider delivery reports. Reports arrive out of order: a state only moves forward (failed is final). A report
/// for an id no message has yet is kept (early_delivery_statuses) and applied by <see cref="ApplyEarlyAsync"/> when the
/// send records that id: the provider may report before its create call has returned.
/// </summary>
public sealed class MessageStatusSink(NpgsqlDataSource db, InboxNotifier notifier) : IMessageStatusSink
{
    private const string Advance = """
        with rank(status, r) as (values ('queued', 0), ('sent', 1), ('delivered', 2), ('read', 3), ('failed', 4))
        update messages m set status = @status, error = case when @status = 'failed' then @error else m.error end, updated_at = now()
        from rank old, rank new
        where m.channel_id = @channelId and m.external_id = @externalId and m.direction = 'outbound'
          and old.status = m.status and new.status = @status and new.r > old.r and m.status <> 'failed'
        returning m.id
        """;

    private const string Exists = "select exists(select 1 from messages where channel_id = @channelId and external_id = @externalId)";

    public async Task<bool> UpdateStatusAsync(long channelId, string externalId, string status, string? error, CancellationToken cancellationToken)
    {
        var args = new { channelId, externalId, status, error };
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var updated = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(Advance, args, cancellationToken: cancellationToken));
        if (updated is null && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(Exists, args, cancellationToken: cancellationToken)))
        {
            if (status is not ("sent" or "delivered" or "read" or "failed"))
            {
                return false;
            }
            // Kept for the send still under way; then tried once more, as that send may have recorded the id meanwhile (it
            // applies what is kept after recording, so one of the two sees the other).
            await connection.ExecuteAsync(new CommandDefinition("""
                delete from early_delivery_statuses where received_at < now() - interval '2 days';
                insert into early_delivery_statuses (channel_id, external_id, status, error) values (@channelId, @externalId, @status, @error)
                on conflict do nothing;
                """, args, cancellationToken: cancellationToken));
            updated = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(Advance, args, cancellationToken: cancellationToken));
            if (updated is null)
            {
                return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(Exists, args, cancellationToken: cancellationToken));
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "delete from early_delivery_statuses where channel_id = @channelId and external_id = @externalId", args, cancellationToken: cancellationToken));
        }
        if (updated is not null)
        {
            await notifier.MessageUpdatedAsync(updated.Value, cancellationToken);
        }
        return true;
    }

    /// <summary>
    /// Applies the reports kept for <paramref name="externalId"/> to the message whose send just recorded it (the furthest
    /// state wins; failed is final) and forgets them. True when the message changed.
    /// </summary>
    public static async Task<bool> ApplyEarlyAsync(NpgsqlConnection connection, long messageId, string externalId, CancellationToken ct)
    {
        const string sql = """
            with early as (
                delete from early_delivery_statuses e using messages m
                where m.id = @messageId and e.channel_id = m.channel_id and e.external_id = @externalId
                returning e.status, e.error
            ),
            rank(status, r) as (values ('queued', 0), ('sent', 1), ('delivered', 2), ('read', 3), ('failed', 4)),
            best as (select e.status, e.error, rank.r from early e join rank using (status) order by rank.r desc limit 1)
            update messages m set status = best.status, error = case when best.status = 'failed' then best.error else m.error end, updated_at = now()
            from best, rank old
            where m.id = @messageId and old.status = m.status and best.r > old.r and m.status <> 'failed'
            returning m.id
            """;
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, new { messageId, externalId }, cancellationToken: ct)) is not null;
    }
}
