using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Messages;
using ContactCenter.Api.Features.Routing;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// Replies and private notes of managers (and of automation), shared by REST and the hub: the checks a reply passes (the
/// channel's guards, its files, the message it answers), one transaction, then one push. The other changes managers make
/// are <see cref="ConversationActions"/>.
/// </summary>
public sealed class ConversationService(
    NpgsqlDataSource db, ConversationQueries queries, MessageQueries messages, IConversationPushes notifier, ResponseTimes responseTimes,
    IEnumerable<Core.IChannelSender> senders, Crm.CrmNotifier crm, TimeProvider clock,
    Notifications.Mentions mentions, Notifications.NotificationStore notices, QueueFeed queue, IEnumerable<IReplyGuard> replyGuards)
{
    public const int MaxTextLength = 20_000;

    public const int MaxAttachments = 10;

    public enum ReplyError { None, NotFound, Invalid, Refused, Forbidden }

    /// <param name="Code">A machine-readable reason for a refusal (e.g. `whatsapp-window-closed`), answered as problem `code`.</param>
    public sealed record ReplyResult(ReplyError Error, MessageDto? Message, string? Detail = null, string? Field = null, string? Code = null);

    /// <summary>What a reply carries besides its text: the caller's uploads to send with it, and the message it answers.</summary>
    /// <param name="Metadata">Provider facts stored on the message for its sender (e.g. the WhatsApp template chosen).</param>
    /// <param name="MentionUserIds">Colleagues @mentioned in a private note (<see cref="Notifications.Mentions"/>).</param>
    public sealed record ReplyParts(IReadOnlyList<long> AttachmentIds, long? ReplyToMessageId, IReadOnlyDictionary<string, string>? Metadata = null,
        IReadOnlyList<long>? MentionUserIds = null)
    {
        public static readonly ReplyParts None = new([], null);
    }

    /// <summary>Why a reply may not leave, with a code clients can act on (show the template picker for `whatsapp-window-closed`).</summary>
    public sealed record Refusal(string Detail, string? Code = null);

    private readonly HashSet<string> fileKinds = senders.Where(s => s.SupportsAttachments).Select(s => s.Kind).ToHashSet();

    // Kinds whose one message is shorter than MaxTextLength (SMS: 1,600): a longer public reply is refused before it is stored.
    private readonly Dictionary<string, int> textLimits = senders.Where(s => s.MaxTextLength is not null)
        .GroupBy(s => s.Kind).ToDictionary(g => g.Key, g => g.Min(s => s.MaxTextLength!.Value));

    private readonly IReplyGuard[] guards = replyGuards.ToArray();

    /// <param name="automated">Sent by automation, not a person: it does not answer the customer's wait, assign, or count in response times.</param>
    public async Task<ReplyResult> ReplyAsync(
        CurrentUser me, long conversationId, string? text, string? clientMessageId, bool isPrivate, CancellationToken ct, bool automated = false, ReplyParts? parts = null)
    {
        parts ??= ReplyParts.None;
        var attachmentIds = parts.AttachmentIds.Distinct().ToArray();
        var access = await queries.AccessAsync(me, conversationId, ct);
        if (access == ConversationQueries.Access.None)
        {
            return new ReplyResult(ReplyError.NotFound, null, "There is no such conversation.");
        }
        if (access == ConversationQueries.Access.Participant && !isPrivate)
        {
            return new ReplyResult(ReplyError.Forbidden, null, ConversationQueries.ParticipantOnly);
        }
        if ((string.IsNullOrWhiteSpace(text) && attachmentIds.Length == 0) || text?.Length > MaxTextLength)
        {
            return new ReplyResult(ReplyError.Invalid, null, $"The text must be between 1 and {MaxTextLength} characters (it may be empty when files are attached).");
        }
        text = string.IsNullOrWhiteSpace(text) ? "" : text;
        if (clientMessageId is { Length: > 100 })
        {
            return new ReplyResult(ReplyError.Invalid, null, "clientMessageId is at most 100 characters.", "clientMessageId");
        }
        if (attachmentIds.Length > MaxAttachments)
        {
            return new ReplyResult(ReplyError.Invalid, null, $"At most {MaxAttachments} files can be sent with one reply.", "attachmentIds");
        }
        if (await CheckPartsAsync(conversationId, text, attachmentIds, parts.ReplyToMessageId, isPrivate, ct) is { } invalid)
        {
            return invalid;
        }
        var (mentioned, mentionError) = await mentions.CheckAsync(me, parts.MentionUserIds, isPrivate, ct);
        if (mentionError is not null)
        {
            return new ReplyResult(ReplyError.Invalid, null, mentionError, "mentionUserIds");
        }
        if (!isPrivate)
        {
            foreach (var guard in guards)
            {
                if (await guard.CheckAsync(conversationId, parts, ct) is { } refusal)
                {
                    return new ReplyResult(ReplyError.Refused, null, refusal.Detail, Code: refusal.Code);
                }
            }
        }
        var now = clock.GetUtcNow();
        IReadOnlyList<long> before;
        long id;
        var crmChanges = new Crm.CrmChanges();
        Notifications.Mentions.Applied? mention = null;
        var endedBreach = false;
        var queueChanged = false;
        var wasUnassigned = false;
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            var state = isPrivate || automated ? null : await responseTimes.LockAsync(connection, tx, conversationId, ct);
            // After the row lock (FormerViewers says why): a reply's own lock where it takes one, else a lock for this alone.
            before = state is null
                ? await FormerViewers.LockAndReadAsync(notifier, connection, tx, conversationId, ct)
                : await notifier.AudienceAsync(conversationId, ct);
            if (me.Role == Roles.Manager && !automated)
            {
                // Asked again under the row lock: a colleague's take (or a hand-over) that committed while this reply waited
                // for the lock ends this manager's right to answer. Two managers pressing Send on one unassigned conversation
                // at once both passed the check above, and both replies went to the customer.
                var (lockedAccess, unassigned) = await connection.QuerySingleAsync<(int, bool)>(new CommandDefinition(
                    $"select ({ConversationQueries.AccessOf}) as access, coalesce((select assignee_id is null from conversations where id = @conversationId), false) as unassigned",
                    new { conversationId, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct));
                var locked = (ConversationQueries.Access)lockedAccess;
                wasUnassigned = unassigned;
                if (locked == ConversationQueries.Access.None || locked == ConversationQueries.Access.Participant && !isPrivate)
                {
                    await tx.RollbackAsync(ct);
                    return locked == ConversationQueries.Access.None
                        ? new ReplyResult(ReplyError.NotFound, null, "There is no such conversation.")
                        : new ReplyResult(ReplyError.Forbidden, null, ConversationQueries.ParticipantOnly);
                }
            }
            var written = await MessageWriter.WriteAsync(connection, tx, new NewMessage(conversationId, isPrivate, text, now)
            {
                SenderUserId = automated ? null : me.Id,
                ClientMessageId = clientMessageId,
                ReplyToId = parts.ReplyToMessageId,
                Metadata = parts.Metadata,
                Bump = new ConversationBump(Answers: !automated, TakeFor: me.Role == Roles.Manager && !automated ? me.Id : null),
                OnTimeline = true,
                AttachmentIds = attachmentIds,
                UploadedBy = me.Id,
            }, ct);
            if (written is null)
            {
                return new ReplyResult(ReplyError.NotFound, null, "There is no such conversation."); // deleted since the check
            }
            id = written.Id;
            if (written.Inserted && written.Attached != attachmentIds.Length)
            {
                // Someone else's upload, another conversation's, or one a reply already took: nothing is stored.
                await tx.RollbackAsync(ct);
                return new ReplyResult(ReplyError.Invalid, null, "Every attachment must be one of your unsent uploads to this conversation.", "attachmentIds");
            }
            if (!written.Inserted)
            {
                // The same clientMessageId again: answer with the message it made the first time.
                await tx.CommitAsync(ct);
                return new ReplyResult(ReplyError.None, await messages.GetAsync(written.Id, ct));
            }
            if (state is not null)
            {
                await responseTimes.RecordReplyAsync(connection, tx, state, me.Id, now, ct);
                endedBreach = state.SlaBreached;
                // The supervisors' live queue: an answered conversation stops waiting there, and one a manager's reply took leaves
                // it (both stayed on the live page, the wait still counting). Pushes are coalesced (QueueFeed).
                queueChanged = true;
            }
            if (me.Role == Roles.Manager && !automated && !isPrivate)
            {
                // A manager's reply takes an unassigned conversation (above), and with it its unowned lead or deal.
                await Crm.CrmFollow.ConversationAssignedAsync(connection, tx, conversationId, me.Id, Crm.Actor.User(me), now, crmChanges, ct,
                    viewers: wasUnassigned ? before : null); // only a reply that took the conversation can end anyone's sight of its lead
            }
            mention = await Notifications.Mentions.ApplyAsync(connection, tx, conversationId, id, me, mentioned, now, ct);
            await tx.CommitAsync(ct);
        }
        // One fan-out: the reply (and its mention note), then the summary once, to the audience after the reply's
        // assignment; whoever lost the conversation to that assignment gets only the removal.
        var reply = await messages.GetAsync(id, ct);
        var created = new List<MessageDto>(2);
        if (reply is not null)
        {
            created.Add(reply);
        }
        if (mention.NoteId is { } noteId && await messages.GetAsync(noteId, ct) is { } note)
        {
            created.Add(note);
        }
        await notifier.MessagesCreatedAsync(conversationId, created, before, ct);
        if (endedBreach || queueChanged)
        {
            // The supervisors' breach list comes with the queue: a queue read taken before this reply committed may reach them
            // after the reply's summary and show the breach again (seen under load); a read after it has the last word.
            await queue.PushAsync(ct);
        }
        await crm.FlushAsync(crmChanges, ct);
        await notices.PushAsync(mention.Notifications);
        return new ReplyResult(ReplyError.None, reply);
    }

    private async Task<ReplyResult?> CheckPartsAsync(long conversationId, string text, long[] attachmentIds, long? replyTo, bool isPrivate, CancellationToken ct)
    {
        var mayBeTooLong = !isPrivate && textLimits.Count > 0 && text.Length > textLimits.Values.Min();
        if (attachmentIds.Length == 0 && replyTo is null && !mayBeTooLong)
        {
            return null;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var facts = await connection.QuerySingleAsync<(string Kind, bool ReplyToFound)>(new CommandDefinition("""
            select ch.kind, exists(select 1 from messages r where r.id = @replyTo and r.conversation_id = c.id) as reply_to_found
            from conversations c join channels ch on ch.id = c.channel_id where c.id = @conversationId
            """, new { conversationId, replyTo }, cancellationToken: ct));
        if (replyTo is not null && !facts.ReplyToFound)
        {
            return new ReplyResult(ReplyError.Invalid, null, "replyToMessageId must be a message of this conversation.", "replyToMessageId");
        }
        if (attachmentIds.Length > 0 && !isPrivate && !fileKinds.Contains(facts.Kind))
        {
            return new ReplyResult(ReplyError.Invalid, null, "This channel cannot send files.", "attachmentIds");
        }
        if (!isPrivate && textLimits.TryGetValue(facts.Kind, out var limit) && text.Length > limit)
        {
            return new ReplyResult(ReplyError.Invalid, null, $"This channel sends at most {limit} characters in one message; this text has {text.Length}.", "text");
        }
        return null;
    }
}
