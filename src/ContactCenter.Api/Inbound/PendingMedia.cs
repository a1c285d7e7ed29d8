using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Inbound;

/// <summary>
/// What a media job (`media:&lt;kind&gt;`) fetches: the attachments of one inbound message that came as references and have
/// no file yet, and the channel they came through. Stored ones are left out, so a job that runs twice fetches nothing twice.
/// </summary>
public static class PendingMedia
{
    public sealed record Attachment(long Id, long ChannelId, string ExternalRef);

    /// <returns>The attachments, oldest first, and their channel (null when there are none, or the channel is gone).</returns>
    public static async Task<(IReadOnlyList<Attachment> Pending, ChannelInfo? Channel)> ReadAsync(NpgsqlDataSource db, IChannelDirectory channels,
        long? messageId, CancellationToken ct)
    {
        List<Attachment> pending;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            pending = (await connection.QueryAsync<Attachment>(new CommandDefinition("""
                select a.id, m.channel_id, a.external_ref from attachments a join messages m on m.id = a.message_id
                where a.message_id = @messageId and a.storage_path is null and a.fetch_error is null and a.external_ref is not null order by a.id
                """, new { messageId }, cancellationToken: ct))).ToList();
        }
        return (pending, pending.Count == 0 ? null : await channels.FindAsync(pending[0].ChannelId, ct));
    }
}
