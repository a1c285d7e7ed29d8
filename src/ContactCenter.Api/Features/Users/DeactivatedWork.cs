using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Routing;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Users;

/// <summary>
/// What a deactivated user leaves behind: their conversations that are not resolved go back to their channels' queues
/// (unassigned, pushed to the channel's members and the supervisors' queue, and routed again where the channel routes
/// automatically), as Chatwoot does when an agent is removed. Before, they stayed with the inactive user, hidden from every
/// manager and missing from the queue while the customer waited. Their leads and deals stay theirs (staff see and hand them
/// over from the lists; the admin's dialog says so).
/// </summary>
public sealed class DeactivatedWork(NpgsqlDataSource db, ConversationActions actions, Router router)
{
    /// <summary>Releases <paramref name="userId"/>'s open conversations as <paramref name="admin"/>; returns how many.</summary>
    public async Task<int> ReleaseAsync(CurrentUser admin, long userId, CancellationToken ct)
    {
        List<(long Id, long ChannelId)> open;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            open = (await connection.QueryAsync<(long, long)>(new CommandDefinition(
                "select id, channel_id from conversations where assignee_id = @userId and status <> 'resolved' order by id",
                new { userId }, cancellationToken: ct))).ToList();
        }
        foreach (var (id, _) in open)
        {
            // A reassignment made meanwhile by someone else wins (Conflict is not possible for staff; NotFound if deleted).
            await actions.AssignAsync(admin, id, null, ct);
        }
        foreach (var channelId in open.Select(o => o.ChannelId).Distinct())
        {
            await router.DrainChannelAsync(channelId, ct);
        }
        return open.Count;
    }
}
