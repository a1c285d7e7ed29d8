using ContactCenter.Api.Realtime;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Outbound;

/// <summary>Applies provider delivery reports. Reports arrive out of order: a state only moves forward (failed is final).</summary>
public sealed class MessageStatusSink(NpgsqlDataSource db, InboxNotifier notifier) : IMessageStatusSink
{
    public async Task<bool> UpdateStatusAsync(long channelId, string externalId, string status, string? error, CancellationToken cancellationToken)
    {
        const string sql = """
            with rank(status, r) as (values ('queued', 0), ('sent', 1), ('delivered', 2), ('read', 3), ('failed', 4))
            update messages m set status = @status, error = case when @status = 'failed' then @error else m.error end, updated_at = now()
            from rank old, rank new
            where m.channel_id = @channelId and m.external_id = @externalId and m.direction = 'outbound'
              and old.status = m.status and new.status = @status and new.r > old.r and m.status <> 'failed'
            returning m.id
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var updated = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, new { channelId, externalId, status, error }, cancellationToken: cancellationToken));
        if (updated is not null)
        {
            await notifier.MessageUpdatedAsync(updated.Value, cancellationToken);
            return true;
        }
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists(select 1 from messages where channel_id = @channelId and external_id = @externalId)", new { channelId, externalId }, cancellationToken: cancellationToken));
    }
}
