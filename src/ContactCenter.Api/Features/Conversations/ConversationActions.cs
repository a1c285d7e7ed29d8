using System.Globalization;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Routing;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// What managers do to a conversation besides replying (<see cref="ConversationService"/>), shared by REST and the hub:
/// read marks, assignment, status, and queueing a failed message again. Each change commits, then pushes.
/// </summary>
public sealed class ConversationActions(
    NpgsqlDataSource db, ConversationQueries queries, IConversationPushes notifier, ResponseTimes responseTimes, Router router,
    Crm.CrmNotifier crm, TimeProvider clock, Hours.CsatSurveys csat, Notifications.NotificationStore notices, Routing.QueueFeed queue)
{
    /// <summary>
    /// The caller's read mark, up to <paramref name="upToMessageId"/> (a message of this conversation) or its last message.
    /// A message of another conversation, or none, is refused: it was stored as the mark (unread counts unaffected).
    /// </summary>
    public async Task<(ChangeError Error, string? Detail)> MarkReadAsync(CurrentUser me, long conversationId, long? upToMessageId, CancellationToken ct)
    {
        if (!await queries.CanSeeAsync(me, conversationId, ct))
        {
            return (ChangeError.NotFound, "There is no such conversation.");
        }
        const string sql = """
            insert into conversation_reads (conversation_id, user_id, last_read_message_id, read_inbound_count, read_at)
            select c.id, @me, coalesce(@upTo, c.last_message_id, 0),
                   case when @upTo::bigint is null or @upTo >= coalesce(c.last_message_id, 0) then c.inbound_count
                        else (select count(*) from messages m where m.conversation_id = c.id and m.direction = 'inbound' and m.id <= @upTo) end,
                   now()
            from conversations c
            where c.id = @conversationId
              and (@upTo::bigint is null or exists (select 1 from messages um where um.id = @upTo and um.conversation_id = c.id))
            on conflict (user_id, conversation_id) do update set
                last_read_message_id = greatest(conversation_reads.last_read_message_id, excluded.last_read_message_id),
                read_inbound_count = greatest(conversation_reads.read_inbound_count, excluded.read_inbound_count),
                read_at = excluded.read_at
            """;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            if (await connection.ExecuteAsync(new CommandDefinition(sql, new { conversationId, me = me.Id, upTo = upToMessageId }, cancellationToken: ct)) == 0)
            {
                return (ChangeError.Invalid, "upToMessageId is not a message of this conversation.");
            }
        }
        await notifier.ReadChangedAsync(conversationId, me.Id, ct);
        return (ChangeError.None, null);
    }

    public enum ChangeError { None, NotFound, Forbidden, Invalid, Conflict }

    public async Task<(ChangeError Error, string? Detail)> AssignAsync(CurrentUser me, long conversationId, long? userId, CancellationToken ct)
    {
        switch (await queries.AccessAsync(me, conversationId, ct))
        {
            case ConversationQueries.Access.None:
                return (ChangeError.NotFound, "There is no such conversation.");
            case ConversationQueries.Access.Participant:
                return (ChangeError.Forbidden, ConversationQueries.ParticipantOnly);
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        if (userId is not null)
        {
            // The new assignee must be able to work the conversation: a member of its channel, or staff.
            var eligible = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
                select exists(select 1 from users u join conversations c on c.id = @conversationId
                              where u.id = @userId and u.is_active
                                and (u.role in ('admin', 'supervisor') or exists (select 1 from channel_members cm where cm.channel_id = c.channel_id and cm.user_id = u.id)))
                """, new { conversationId, userId }, cancellationToken: ct));
            if (!eligible)
            {
                var active = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                    "select coalesce((select is_active from users where id = @userId), true)", new { userId }, cancellationToken: ct));
                return (ChangeError.Invalid, active ? "That user is not a member of the conversation's channel." : "That user is deactivated.");
            }
        }
        var now = clock.GetUtcNow();
        var crmChanges = new Crm.CrmChanges();
        List<Notifications.CreatedNotification> assigned = [];
        IReadOnlyList<long> before;
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            before = await FormerViewers.LockAndReadAsync(notifier, connection, tx, conversationId, ct);
            // A manager changes only what is theirs or still free: of two managers taking one conversation, one wins.
            var changed = await connection.ExecuteAsync(new CommandDefinition("""
                update conversations set assignee_id = @userId, assigned_at = case when @userId::bigint is null then null else @now end, updated_at = @now
                where id = @conversationId and (@staff or assignee_id is null or assignee_id = @me)
                """, new { conversationId, userId, staff = me.IsStaff, me = me.Id, now }, tx, cancellationToken: ct));
            if (changed == 0)
            {
                return (ChangeError.Conflict, "Someone else has taken this conversation.");
            }
            if (userId is not null)
            {
                await Crm.CrmFollow.ConversationAssignedAsync(connection, tx, conversationId, userId.Value, Crm.Actor.User(me), now, crmChanges, ct, viewers: before);
                if (userId != me.Id)
                {
                    assigned = await Notifications.NotificationStore.AssignedAsync(connection, tx, conversationId, userId.Value, me.Name, now, ct);
                }
            }
            await tx.CommitAsync(ct);
        }
        await notifier.ConversationChangedAsync(conversationId, before, ct);
        await crm.FlushAsync(crmChanges, ct);
        await notices.PushAsync(assigned);
        await queue.PushAsync(ct); // taken out of the supervisors' queue, or back into it
        return (ChangeError.None, null);
    }

    /// <param name="origin">The absolute address the request came to (scheme, host, path base), for a CSAT link when no public base URL is configured.</param>
    public async Task<(ChangeError Error, string? Detail)> SetStatusAsync(CurrentUser me, long conversationId, string? status, string? origin, CancellationToken ct)
    {
        if (ConversationLifecycle.CheckStatusRequest(status) is { } badStatus)
        {
            return (ChangeError.Invalid, badStatus);
        }
        switch (await queries.AccessAsync(me, conversationId, ct))
        {
            case ConversationQueries.Access.None:
                return (ChangeError.NotFound, "There is no such conversation.");
            case ConversationQueries.Access.Participant:
                return (ChangeError.Forbidden, ConversationQueries.ParticipantOnly);
        }
        const string sql = """
            update conversations set status = @status, updated_at = @now,
                resolved_at = case when @status = 'resolved' then @now else null end,
                waiting_since = case when @status = 'resolved' then null else waiting_since end,
                snoozed_until = null
            where id = @conversationId
            returning assignee_id
            """;
        var now = clock.GetUtcNow();
        IReadOnlyList<long> before;
        long? assignee;
        var newlyResolved = false;
        long? unsnoozeNote = null;
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            var state = await responseTimes.LockAsync(connection, tx, conversationId, ct);
            // Asked again under the row lock: a colleague's take that committed after the check above ends this manager's
            // right to resolve or reopen the conversation (or to see it at all), as it does for assigning.
            switch ((ConversationQueries.Access)await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                ConversationQueries.AccessOf, new { conversationId, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct)))
            {
                case ConversationQueries.Access.None:
                    return (ChangeError.NotFound, "There is no such conversation.");
                case ConversationQueries.Access.Participant:
                    return (ChangeError.Forbidden, ConversationQueries.ParticipantOnly);
            }
            before = await notifier.AudienceAsync(conversationId, ct); // after the row lock (FormerViewers says why)
            var lifecycle = new ConversationLifecycle(state.Status);
            assignee = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, new { conversationId, status, now }, tx, cancellationToken: ct));
            if (lifecycle.Resolves(status!))
            {
                await responseTimes.RecordResolutionAsync(connection, tx, state, assignee, now, ct);
                newlyResolved = true;
            }
            if (lifecycle.EndsSnooze)
            {
                unsnoozeNote = await SystemNotes.AddInTransactionAsync(connection, tx, conversationId, "unsnoozed", $"Snooze ended: set {status} by {me.Name}.",
                    new Dictionary<string, string>
                    {
                        ["reason"] = "manual", ["status"] = status!, ["by"] = me.Id.ToString(CultureInfo.InvariantCulture), ["byName"] = me.Name,
                    }, now, ct);
            }
            await tx.CommitAsync(ct);
        }
        if (unsnoozeNote is { } note)
        {
            await notifier.MessageCreatedAsync(note, ct);
        }
        await notifier.ConversationChangedAsync(conversationId, before, ct);
        if (newlyResolved)
        {
            await csat.OnResolvedAsync(conversationId, origin, ct); // after commit; asked once per resolution
        }
        if (status == "resolved" && assignee is not null)
        {
            await router.DrainForUserAsync(assignee.Value, ct); // a freed seat takes the oldest waiting conversation
        }
        await queue.PushAsync(ct); // a resolved (or reopened) conversation leaves (or joins) the supervisors' queue
        return (ChangeError.None, null);
    }

    /// <summary>A failed outbound message is queued again by a person (the retry button).</summary>
    public async Task<(ChangeError Error, string? Detail)> RetryAsync(CurrentUser me, long messageId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var conversationId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "select conversation_id from messages where id = @messageId", new { messageId }, cancellationToken: ct));
        var access = conversationId is null ? ConversationQueries.Access.None : await queries.AccessAsync(me, conversationId.Value, ct);
        if (access == ConversationQueries.Access.None)
        {
            return (ChangeError.NotFound, "There is no such message.");
        }
        if (access == ConversationQueries.Access.Participant)
        {
            return (ChangeError.Forbidden, ConversationQueries.ParticipantOnly);
        }
        const string sql = """
            with m as (
                update messages set status = 'queued', error = null, updated_at = now()
                where id = @messageId and direction = 'outbound' and status = 'failed'
                returning id
            )
            insert into outbox (kind, message_id) select 'send', id from m returning id
            """;
        var queued = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, new { messageId }, cancellationToken: ct));
        if (queued is null)
        {
            return (ChangeError.Invalid, "Only a failed outbound message can be retried.");
        }
        await connection.ExecuteAsync(new CommandDefinition("select pg_notify('cc_outbox', '')", cancellationToken: ct));
        await notifier.MessageUpdatedAsync(messageId, ct);
        return (ChangeError.None, null);
    }
}
