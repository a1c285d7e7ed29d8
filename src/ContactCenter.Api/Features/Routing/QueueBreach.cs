namespace ContactCenter.Api.Features.Routing;

/// <summary>An open conversation whose customer has waited past the channel's target (assigned or not) and still waits.</summary>
public sealed record QueueBreach(
    long ConversationId, ChannelRef Channel, DateTimeOffset WaitingSince, long WaitingSeconds, string Kind, UserRef? Assignee,
    DateTimeOffset BreachedAt, ContactRef Contact, string Preview);
