using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// Per-user counters, uncapped. The inbox badges count the user's own queue: conversations assigned to them
/// and the unassigned ones they could take (all channels for admins and supervisors). Computed for many users
/// in one set-based query (snoozed conversations are out of the queue until they wake): the open unassigned conversations are counted once per channel as if nobody had read
/// them, then each user's totals are corrected by their own read positions. So a push to a whole channel of
/// 1,000 managers scans the queue once instead of once per manager (see docs/benchmarks.md).
/// Every answer carries the version of the snapshot it was read in (<see cref="CountersVersion"/>), so a later read
/// is known to be at least as fresh as an earlier one, whichever node or request made it.
/// </summary>
public sealed class CountersQuery(NpgsqlDataSource db, TimeProvider clock)
{
    private const string Sql = """
        with us as (
            select u.id, u.role in ('admin', 'supervisor') as staff from users u where u.id = any(@userIds)
        ), queue as (
            select c.channel_id, count(*) as conversations, count(*) filter (where c.inbound_count > 0) as unread_conversations,
                   coalesce(sum(c.inbound_count), 0)::bigint as unread_messages
            from conversations c
            where c.assignee_id is null and c.status <> 'resolved' and c.status <> 'snoozed'
              and (exists (select 1 from us where us.staff) or c.channel_id in (select cm.channel_id from channel_members cm join us on us.id = cm.user_id))
            group by c.channel_id
        ), unassigned as (
            select us.id as user_id, sum(q.conversations)::bigint as conversations, sum(q.unread_conversations)::bigint as unread_conversations,
                   sum(q.unread_messages)::bigint as unread_messages
            from us join queue q on us.staff or exists (select 1 from channel_members cm where cm.channel_id = q.channel_id and cm.user_id = us.id)
            group by us.id
        ), reads as (
            select r.user_id,
                   sum((c.inbound_count > r.read_inbound_count)::int - (c.inbound_count > 0)::int)::bigint as unread_conversations,
                   sum(greatest(c.inbound_count - r.read_inbound_count, 0) - c.inbound_count)::bigint as unread_messages
            from us join conversation_reads r on r.user_id = us.id join conversations c on c.id = r.conversation_id
            where c.assignee_id is null and c.status <> 'resolved' and c.status <> 'snoozed'
              and (us.staff or exists (select 1 from channel_members cm where cm.channel_id = c.channel_id and cm.user_id = us.id))
            group by r.user_id
        ), mine as (
            select c.assignee_id as user_id, count(*) as conversations,
                   count(*) filter (where c.inbound_count > coalesce(r.read_inbound_count, 0)) as unread_conversations,
                   coalesce(sum(c.inbound_count - coalesce(r.read_inbound_count, 0)) filter (where c.inbound_count > coalesce(r.read_inbound_count, 0)), 0)::bigint as unread_messages
            from conversations c
            left join conversation_reads r on r.conversation_id = c.id and r.user_id = c.assignee_id
            where c.assignee_id = any(@userIds) and c.status <> 'resolved' and c.status <> 'snoozed'
            group by c.assignee_id
        )
        select us.id as user_id, s.xmax, s.in_progress,
               coalesce(m.unread_conversations, 0) + coalesce(q.unread_conversations, 0) + coalesce(rd.unread_conversations, 0) as unread_conversations,
               coalesce(m.unread_messages, 0) + coalesce(q.unread_messages, 0) + coalesce(rd.unread_messages, 0) as unread_messages,
               coalesce(m.conversations, 0) as mine, coalesce(q.conversations, 0) as unassigned,
               (select count(*) from activities a where a.assignee_id = us.id and a.completed_at is null and a.due_at < @now) as overdue_activities,
               (select count(*) from activities a where a.assignee_id = us.id and a.completed_at is null and a.due_at >= @now and a.due_at < @endOfDay) as activities_due_today,
               (select count(*) from deals d where d.assignee_id = us.id and d.closed_at is null
                   and not exists (select 1 from activities a where a.subject_type = 'deal' and a.subject_id = d.id and a.completed_at is null)) as deals_without_activity
        from us
        cross join (select pg_snapshot_xmax(pg_current_snapshot())::text::bigint as xmax,
                           (select count(*) from pg_snapshot_xip(pg_current_snapshot())) as in_progress) s
        left join mine m on m.user_id = us.id
        left join unassigned q on q.user_id = us.id
        left join reads rd on rd.user_id = us.id
        """;

    private sealed record Row(long UserId, long Xmax, long InProgress, long UnreadConversations, long UnreadMessages, long Mine, long Unassigned,
        long OverdueActivities, long ActivitiesDueToday, long DealsWithoutActivity);

    public async Task<IReadOnlyDictionary<long, Counters>> ForUsersAsync(IReadOnlyCollection<long> userIds, CancellationToken ct)
    {
        if (userIds.Count == 0)
        {
            return new Dictionary<long, Counters>();
        }
        // The clock after the pool: as close to the query's snapshot as this side can take it.
        await using var connection = await db.OpenConnectionAsync(ct);
        var now = clock.GetUtcNow();
        var endOfDay = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(Sql,
            new { userIds = userIds.ToArray(), now = now.UtcDateTime, endOfDay = endOfDay.UtcDateTime }, cancellationToken: ct));
        return rows.ToDictionary(r => r.UserId, r => new Counters(r.UnreadConversations, r.UnreadMessages, r.Mine, r.Unassigned,
            r.OverdueActivities, r.ActivitiesDueToday, r.DealsWithoutActivity) { Version = CountersVersion.Of(r.Xmax, r.InProgress, now) });
    }
}
