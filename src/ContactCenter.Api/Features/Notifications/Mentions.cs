using System.Globalization;
using ContactCenter.Api.Auth;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Notifications;

/// <summary>
/// @mentions in private notes. A mentioned colleague becomes a participant of the conversation (so they can open it
/// even when it is not theirs or their channel's), the grant is written into the conversation as a system note (and
/// on the lead/deal timeline), and they get a `mention` notice. Only someone who sees the conversation gets this far.
/// </summary>
public sealed class Mentions(NpgsqlDataSource db)
{
    public const int MaxMentions = 20;

    /// <summary>What the mention wrote, to push after commit.</summary>
    public sealed record Applied(long? NoteId, List<CreatedNotification> Notifications);

    /// <summary>The distinct colleagues to mention (the author left out), or an error sentence when one is not an active user.</summary>
    public async Task<(long[] UserIds, string? Error)> CheckAsync(CurrentUser me, IReadOnlyList<long>? requested, bool isPrivate, CancellationToken ct)
    {
        if (requested is null || requested.Count == 0)
        {
            return ([], null);
        }
        if (!isPrivate)
        {
            return ([], "Colleagues can be mentioned in private notes only.");
        }
        var ids = requested.Where(id => id != me.Id).Distinct().ToArray();
        if (ids.Length > MaxMentions)
        {
            return ([], $"At most {MaxMentions} colleagues can be mentioned at once.");
        }
        if (ids.Length == 0)
        {
            return ([], null);
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var active = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from users where id = any(@ids) and is_active", new { ids }, cancellationToken: ct));
        return active == ids.Length ? (ids, null) : ([], "Every mentioned colleague must be an active user.");
    }

    /// <summary>Inside the note's transaction: participation, the system note for newly added participants, and the notices.</summary>
    public static async Task<Applied> ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long conversationId, long messageId, CurrentUser me,
        long[] userIds, DateTimeOffset now, CancellationToken ct)
    {
        if (userIds.Length == 0)
        {
            return new Applied(null, []);
        }
        // Staff, the assignee and channel members of an unassigned conversation see it already; everyone else is added.
        const string grant = """
            with added as (
                insert into conversation_participants (conversation_id, user_id, added_by, added_at)
                select @conversationId, u.id, @me, @now from users u join conversations c on c.id = @conversationId
                where u.id = any(@userIds) and u.role = 'manager' and u.id is distinct from c.assignee_id
                  and not (c.assignee_id is null and exists (select 1 from channel_members cm where cm.channel_id = c.channel_id and cm.user_id = u.id))
                on conflict do nothing
                returning user_id
            )
            select u.name from added join users u on u.id = added.user_id order by u.name
            """;
        var added = (await connection.QueryAsync<string>(new CommandDefinition(grant,
            new { conversationId, me = me.Id, userIds, now = now.UtcDateTime }, tx, cancellationToken: ct))).ToList();
        long? noteId = null;
        if (added.Count > 0)
        {
            var text = $"{me.Name} mentioned {string.Join(", ", added)}: now a participant of this conversation.";
            // The names as well as the sentence: the web app words the note in its user's language (one name a line).
            noteId = (await Messages.MessageWriter.WriteAsync(connection, tx, new Messages.NewMessage(conversationId, Note: true, text, now)
            {
                Metadata = new Dictionary<string, string>
                {
                    ["notice"] = "participants", ["by"] = me.Id.ToString(CultureInfo.InvariantCulture), ["byName"] = me.Name,
                    ["added"] = string.Join('\n', added),
                },
            }, ct))!.Id;
            const string timeline = """
                insert into timeline_entries (lead_id, deal_id, type, at, actor_type, actor_id, data)
                select c.lead_id, c.deal_id, 'participants', @now, 'user', @me, jsonb_build_object('conversationId', c.id, 'messageId', @noteId, 'text', @text,
                    'byName', @byName::text, 'added', @added::text)
                from conversations c where c.id = @conversationId and (c.lead_id is not null or c.deal_id is not null)
                """;
            await connection.ExecuteAsync(new CommandDefinition(timeline,
                new { conversationId, noteId, text, now = now.UtcDateTime, me = me.Id, byName = me.Name, added = string.Join('\n', added) }, tx, cancellationToken: ct));
        }
        var (subject, _) = await NotificationStore.ContactAndChannelAsync(connection, tx, conversationId, ct);
        var body = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "select left(text, 200) from messages where id = @messageId", new { messageId }, tx, cancellationToken: ct));
        var data = new NotificationData { Contact = subject, By = me.Name, Preview = body };
        var drafts = userIds.Select(id => new NotificationDraft(id, NotificationKinds.Mention, $"{me.Name} mentioned you ({subject}): {body}",
            NotificationStore.Of("message", messageId), ConversationId: conversationId, Data: data));
        return new Applied(noteId, await NotificationStore.AddAsync(connection, tx, drafts, now, ct));
    }
}
