namespace ContactCenter.Core;

/// <summary>A connector's durable state on a channel across restarts and nodes: positions it has read up to, and leases.</summary>
public interface IChannelCursors
{
    /// <summary>A connector's durable position on a channel (a polling offset, a mailbox UID), or null before the first.</summary>
    Task<string?> GetCursorAsync(long channelId, string name, CancellationToken cancellationToken);

    Task SetCursorAsync(long channelId, string name, string value, CancellationToken cancellationToken);

    /// <summary>
    /// Takes or renews a lease named <paramref name="name"/> on a channel for <paramref name="owner"/> (one poller per bot
    /// across nodes). True while this owner holds it; another owner gets it only after <paramref name="ttl"/> without renewal.
    /// </summary>
    Task<bool> TryLeaseAsync(long channelId, string name, string owner, TimeSpan ttl, CancellationToken cancellationToken);
}
