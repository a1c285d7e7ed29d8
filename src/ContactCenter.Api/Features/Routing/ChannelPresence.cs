using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Routing;

/// <summary>Whether any active member of a channel is online (hub connected on any node, not away), per <see cref="PresenceTracker"/>.</summary>
public sealed class ChannelPresence(NpgsqlDataSource db, PresenceTracker presence) : IChannelPresence
{
    public async Task<bool> AnyMemberOnlineAsync(long channelId, CancellationToken cancellationToken)
    {
        const string sql = """
            select u.id from channel_members m join users u on u.id = m.user_id
            where m.channel_id = @channelId and u.is_active
            """;
        List<long> members;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            members = (await connection.QueryAsync<long>(new CommandDefinition(sql, new { channelId }, cancellationToken: cancellationToken))).ToList();
        }
        return (await presence.OnlineAsync(members)).Count > 0;
    }
}
