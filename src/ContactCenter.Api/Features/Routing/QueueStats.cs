namespace ContactCenter.Api.Features.Routing;

public sealed record QueueStats(IReadOnlyList<QueueItem> Waiting, long LongestWaitSeconds, IReadOnlyList<OnlineUser> Online, IReadOnlyList<QueueBreach> Breaches);
