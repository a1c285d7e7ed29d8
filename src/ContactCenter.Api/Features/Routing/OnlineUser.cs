namespace ContactCenter.Api.Features.Routing;

public sealed record OnlineUser(long UserId, string Name, long OpenConversations);
