using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// Per-user counters, uncapped. The inbox badges count the user's own queue: conversations assigned to them
/// and the unassigned ones they could take (all channels for admins and supervisors). Computed for many users
/// in one query, so a push to a whole channel costs one round trip.
/// </summary>
public sealed class CountersQuery(NpgsqlDataSource db, TimeProvider clock)
{
    private const string Sql = """
        select u.id as user_id,
               coalesce(q.unread_conversations, 0) as unread_conversations, coalesce(q.unread_messages, 0)::bigint as unread_messages,
               coalesce(q.mine, 0) as mine, coalesce(q.unassigned, 0) as unassigned,
               (select count(*) from activities a where a.assignee_id = u.id and a.completed_at is null and a.due_at < @now) as overdue_activities,
               (select count(*) from activities a where a.assignee_id = u.id and a.completed_at is null and a.due_at >= @now and a.due_at < @endOfDay) as activities_due_today,
               (select count(*) from deals d where d.assignee_id = u.id and d.closed_at is null
                   and not exists (select 1 from activities a where a.subject_type = 'deal' and a.subject_id = d.id and a.completed_at is null)) as deals_without_activity
        from users u
        left join lateral (
            select count(*) filter (where s.unread > 0) as unread_conversations,
                   sum(s.unread) filter (where s.unread > 0) as unread_messages,
                   count(*) filter (where s.assignee_id = u.id) as mine,
                   count(*) filter (where s.assignee_id is null) as unassigned
            from (
                select c.assignee_id, c.inbound_count - coalesce(r.read_inbound_count, 0) as unread
                from conversations c
                left join conversation_reads r on r.conversation_id = c.id and r.user_id = u.id
                where c.status <> 'resolved' and c.assignee_id = u.id
                union all
                select c.assignee_id, c.inbound_count - coalesce(r.read_inbound_count, 0)
                from conversations c
                left join conversation_reads r on r.conversation_id = c.id and r.user_id = u.id
                where c.status <> 'resolved' and c.assignee_id is null
                  and (u.role in ('admin', 'supervisor') or exists (select 1 from channel_members cm where cm.channel_id = c.channel_id and cm.user_id = u.id))
            ) s
        ) q on true
        where u.id = any(@userIds)
        """;

    private sealed record Row(long UserId, long UnreadConversations, long UnreadMessages, long Mine, long Unassigned,
        long OverdueActivities, long ActivitiesDueToday, long DealsWithoutActivity);

    public async Task<IReadOnlyDictionary<long, Counters>> ForUsersAsync(IReadOnlyCollection<long> userIds, CancellationToken ct)
    {
        if (userIds.Count == 0)
        {
            return new Dictionary<long, Counters>();
        }
        var now = clock.GetUtcNow();
        var endOfDay = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(Sql,
            new { userIds = userIds.ToArray(), now = now.UtcDateTime, endOfDay = endOfDay.UtcDateTime }, cancellationToken: ct));
        return rows.ToDictionary(r => r.UserId, r => new Counters(r.UnreadConversations, r.UnreadMessages, r.Mine, r.Unassigned,
            r.OverdueActivities, r.ActivitiesDueToday, r.DealsWithoutActivity));
    }

    public async Task<Counters> ForUserAsync(long userId, CancellationToken ct) =>
        (await ForUsersAsync([userId], ct)).GetValueOrDefault(userId) ?? new Counters(0, 0, 0, 0, 0, 0, 0);
}
