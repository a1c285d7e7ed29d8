namespace ContactCenter.Api.Features.Routing;

/// <summary>
/// A queued (unassigned) conversation as the supervisor's row shows it: who waits, since when, and what they wrote last.
/// <paramref name="WaitingSince"/> is null (and <paramref name="WaitingSeconds"/> 0) when nobody waits for an answer: the
/// customer was answered before the conversation lost its owner, or nobody has written yet.
/// </summary>
public sealed record QueueItem(
    long ConversationId, ChannelRef Channel, DateTimeOffset? WaitingSince, long WaitingSeconds, DateTimeOffset? SlaBreachedAt,
    ContactRef Contact, string Preview);
