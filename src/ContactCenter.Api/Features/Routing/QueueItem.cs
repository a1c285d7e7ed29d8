namespace ContactCenter.Api.Features.Routing;

/// <summary>A queued (unassigned) conversation as the supervisor's row shows it: who waits, since when, and what they wrote last.</summary>
public sealed record QueueItem(
    long ConversationId, ChannelRef Channel, DateTimeOffset WaitingSince, long WaitingSeconds, DateTimeOffset? SlaBreachedAt,
    ContactRef Contact, string Preview);
