namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// What conversations push after commit to the users who may see them. The hub layer implements it
/// (<c>Realtime.InboxNotifier</c>, which reads its payloads through this namespace's queries); declaring it here keeps the
/// dependency one way: Realtime uses Conversations, never the reverse.
/// </summary>
public interface IConversationPushes
{
    /// <summary>Who may see the conversation now (read before a change, to tell former viewers to drop it after).</summary>
    Task<IReadOnlyList<long>> AudienceAsync(long conversationId, CancellationToken cancellationToken);

    Task MessageCreatedAsync(long messageId, CancellationToken cancellationToken);

    /// <summary>One fan-out for what one action did to one conversation: its new messages, then its summary once.</summary>
    Task MessagesCreatedAsync(long conversationId, IReadOnlyList<MessageDto> created, IReadOnlyCollection<long> formerViewers, CancellationToken cancellationToken);

    Task MessageUpdatedAsync(long messageId, CancellationToken cancellationToken);

    /// <summary>After an assignment, status or read change. Former viewers who lost access are told to drop it.</summary>
    Task ConversationChangedAsync(long conversationId, IReadOnlyCollection<long> formerViewers, CancellationToken cancellationToken);

    /// <summary>Only the reader's own view changes on a read: their summary and counters, on all their devices.</summary>
    Task ReadChangedAsync(long conversationId, long userId, CancellationToken cancellationToken);
}
