using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Outbound;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Routing;

/// <summary>
/// Bitrix24-style distribution per channel: `evenly` (the online member who has waited longest since their last
/// assignment), `strictly` (members in a fixed order, round robin), `all` (left open to every member; the first to
/// take it gets it), with an optional cap of open conversations per manager, stickiness for returning customers,
/// and a pass to the next manager when one does not answer in `passAfterSeconds`. Each decision runs under a
/// per-channel advisory lock with a conditional update, so two nodes never assign one conversation to two people.
/// </summary>
public sealed class Router(NpgsqlDataSource db, PresenceTracker presence, IRoutingPushes pushes, Crm.CrmNotifier crm, QueueFeed queue, TimeProvider clock,
    ILogger<Router> logger, Notifications.NotificationStore notifications)
{
    private sealed record Target(long ChannelId, long ContactId, long? AssigneeId, string Status, string Settings);

    private sealed record Candidate(long Id, DateTimeOffset? LastAssignedAt, long OpenCount, string? WorkingHours);

    /// <summary>What an assignment changed, for whoever pushes it: who saw the conversation before, and what to push after.</summary>
    public sealed record Assignment(IReadOnlyList<long> FormerViewers, Crm.CrmChanges CrmChanges, IReadOnlyList<Notifications.CreatedNotification> Notices);

    /// <summary>
    /// After an inbound message is stored and BEFORE it is pushed: route it if its conversation waits unassigned, so the
    /// pipeline pushes the message and the conversation once, to the final audience (not to the channel, then again).
    /// The caller pushes, then calls <see cref="AfterInboundPushAsync"/>.
    /// </summary>
    public Task<Assignment?> RouteInboundAsync(long conversationId, CancellationToken ct) => AssignAsync(conversationId, passedFrom: null, ct);

    /// <summary>After the inbound push: the assignment's CRM changes and notices, or the queue figures when it still waits.</summary>
    public async Task AfterInboundPushAsync(Assignment? assignment, CancellationToken ct)
    {
        if (assignment is null)
        {
            await queue.PushAsync(ct);
            return;
        }
        await FollowUpAsync(assignment, ct);
    }

    /// <summary>A user came online or freed capacity: drain the queues of their channels, oldest first.</summary>
    public async Task DrainForUserAsync(long userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var channels = await connection.QueryAsync<long>(new CommandDefinition("""
            select c.id from channels c join channel_members m on m.channel_id = c.id
            where m.user_id = @userId and c.enabled and c.settings -> 'routing' ->> 'mode' in ('evenly', 'strictly')
            """, new { userId }, cancellationToken: ct));
        foreach (var channelId in channels)
        {
            await DrainChannelAsync(channelId, ct);
        }
    }

    public const string DrainJob = "route-waiting-conversations";

    /// <summary>
    /// The minute job: every automatically routed channel with a conversation waiting unassigned is drained, so a
    /// manager whose working hours just began (or a snoozed conversation that woke by time) is offered the queue
    /// without anyone connecting or resolving. Each channel's drain is the usual locked, conditional one.
    /// </summary>
    public async Task<int> DrainWaitingAsync(CancellationToken ct)
    {
        List<long> channels;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            channels = (await connection.QueryAsync<long>(new CommandDefinition("""
                select ch.id from channels ch
                where ch.enabled and ch.settings -> 'routing' ->> 'mode' in ('evenly', 'strictly')
                  and exists (select 1 from conversations c where c.channel_id = ch.id and c.assignee_id is null
                              and c.status not in ('resolved', 'snoozed'))
                """, cancellationToken: ct))).ToList();
        }
        foreach (var channelId in channels)
        {
            await DrainChannelAsync(channelId, ct);
        }
        return channels.Count;
    }

    public async Task DrainChannelAsync(long channelId, CancellationToken ct)
    {
        for (var i = 0; i < 100; i++)
        {
            long? next;
            await using (var connection = await db.OpenConnectionAsync(ct))
            {
                next = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
                    select id from conversations
                    where channel_id = @channelId and assignee_id is null and status not in ('resolved', 'snoozed')
                    order by coalesce(waiting_since, created_at), id limit 1
                    """, new { channelId }, cancellationToken: ct));
            }
            if (next is null || !await TryAssignAsync(next.Value, passedFrom: null, ct))
            {
                return;
            }
        }
    }

    /// <summary>Assigns the conversation if its channel routes automatically and someone eligible is online.</summary>
    public async Task<bool> TryAssignAsync(long conversationId, long? passedFrom, CancellationToken ct)
    {
        if (await AssignAsync(conversationId, passedFrom, ct) is not { } assignment)
        {
            return false;
        }
        await pushes.ConversationChangedAsync(conversationId, assignment.FormerViewers, ct);
        await FollowUpAsync(assignment, ct);
        return true;
    }

    private async Task FollowUpAsync(Assignment assignment, CancellationToken ct)
    {
        await crm.FlushAsync(assignment.CrmChanges, ct);
        await notifications.PushAsync(assignment.Notices);
        await queue.PushAsync(ct);
    }

    /// <summary>The locked, conditional assignment, committed; null when nothing was assigned. Pushes nothing.</summary>
    private async Task<Assignment?> AssignAsync(long conversationId, long? passedFrom, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        long? chosen;
        IReadOnlyList<long> before;
        var crmChanges = new Crm.CrmChanges();
        List<Notifications.CreatedNotification> notices;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            var target = await connection.QuerySingleOrDefaultAsync<Target>(new CommandDefinition("""
                select c.channel_id, c.contact_id, c.assignee_id, c.status, ch.settings::text as settings
                from conversations c join channels ch on ch.id = c.channel_id where c.id = @conversationId
                """, new { conversationId }, cancellationToken: ct));
            // A snoozed conversation is set aside until it wakes (its time or the customer writing); nobody is offered it before.
            if (target is null || target.Status is "resolved" or "snoozed" || target.AssigneeId != passedFrom)
            {
                return null;
            }
            var rules = ChannelRules.From(JsonNode.Parse(target.Settings)!.AsObject());
            if (!ChannelRules.Assigns(rules.Mode))
            {
                return null;
            }
            before = await pushes.AudienceAsync(conversationId, ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition("select count(*) from (select pg_advisory_xact_lock(7001, @id::int)) l",
                new { id = (int)(target.ChannelId % int.MaxValue) }, tx, cancellationToken: ct));
            var candidates = (await connection.QueryAsync<Candidate>(new CommandDefinition("""
                select u.id, u.last_assigned_at,
                       (select count(*) from conversations o where o.assignee_id = u.id and o.status <> 'resolved') as open_count,
                       u.working_hours::text as working_hours
                from channel_members m join users u on u.id = m.user_id
                where m.channel_id = @channelId and u.is_active and u.role = 'manager'
                """, new { target.ChannelId }, tx, cancellationToken: ct))).ToList();
            var online = await presence.OnlineAsync(candidates.Select(c => c.Id).ToList());
            var eligible = candidates
                .Where(c => online.Contains(c.Id) && c.Id != passedFrom && (rules.MaxOpenPerManager is not { } cap || c.OpenCount < cap)
                    && WorkingHours.IsWorking(c.WorkingHours, now))
                .ToList();
            chosen = await ChooseAsync(connection, tx, target, rules, eligible, ct);
            if (chosen is null)
            {
                await tx.RollbackAsync(ct);
                return null;
            }
            var assigned = await connection.ExecuteAsync(new CommandDefinition("""
                update conversations set assignee_id = @chosen, assigned_at = @now, updated_at = @now
                where id = @conversationId and assignee_id is not distinct from @passedFrom and status not in ('resolved', 'snoozed')
                """, new { chosen, now, conversationId, passedFrom }, tx, cancellationToken: ct));
            if (assigned == 0)
            {
                await tx.RollbackAsync(ct);
                return null;
            }
            await connection.ExecuteAsync(new CommandDefinition("""
                update users set last_assigned_at = @now where id = @chosen;
                insert into channel_routing_state (channel_id, last_user_id) values (@channelId, @chosen)
                on conflict (channel_id) do update set last_user_id = excluded.last_user_id;
                """, new { now, chosen, channelId = target.ChannelId }, tx, cancellationToken: ct));
            if (rules.PassAfterSeconds is { } pass)
            {
                await connection.ExecuteAsync(new CommandDefinition("""
                    insert into outbox (kind, payload, next_attempt_at) values ('route:pass', @payload::jsonb, @due)
                    """, new { payload = JsonSerializer.Serialize(new { conversationId, userId = chosen }), due = now.AddSeconds(pass) }, tx, cancellationToken: ct));
            }
            await Crm.CrmFollow.ConversationAssignedAsync(connection, tx, conversationId, chosen.Value, Crm.Actor.System, now, crmChanges, ct, viewers: before);
            notices = await Notifications.NotificationStore.AssignedAsync(connection, tx, conversationId, chosen.Value, null, now, ct);
            await tx.CommitAsync(ct);
        }
        logger.LogInformation("Conversation {ConversationId} routed to user {UserId}", conversationId, chosen);
        return new Assignment(before, crmChanges, notices);
    }

    private static async Task<long?> ChooseAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Target target, ChannelRules rules, List<Candidate> eligible, CancellationToken ct)
    {
        if (eligible.Count == 0)
        {
            return null;
        }
        // Sticky: a returning customer goes back to the manager they last had, when that manager is eligible now.
        var previous = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            select assignee_id from conversations where contact_id = @contactId and assignee_id is not null
            order by assigned_at desc nulls last limit 1
            """, new { target.ContactId }, tx, cancellationToken: ct));
        if (previous is not null && eligible.Any(c => c.Id == previous))
        {
            return previous;
        }
        if (rules.Mode == "evenly")
        {
            return eligible.OrderBy(c => c.LastAssignedAt ?? DateTimeOffset.MinValue).ThenBy(c => c.Id).First().Id;
        }
        var order = rules.Order.Count > 0 ? rules.Order.ToList() : eligible.Select(c => c.Id).Order().ToList();
        var last = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "select last_user_id from channel_routing_state where channel_id = @ChannelId", new { target.ChannelId }, tx, cancellationToken: ct));
        var start = last is null ? 0 : order.IndexOf(last.Value) + 1;
        for (var i = 0; i < order.Count; i++)
        {
            var id = order[(start + i) % order.Count];
            if (eligible.Any(c => c.Id == id))
            {
                return id;
            }
        }
        return null;
    }
}
