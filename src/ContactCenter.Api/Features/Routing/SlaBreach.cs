namespace ContactCenter.Api.Features.Routing;

public sealed record SlaBreach(long ConversationId, long WaitingSeconds, string Kind, UserRef? Assignee);
