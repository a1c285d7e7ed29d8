namespace ContactCenter.Core;

/// <summary>Finding channels: what a connector needs to read its channel's settings or report a problem on it.</summary>
public interface IChannelDirectory
{
    Task<ChannelInfo?> FindAsync(long channelId, CancellationToken cancellationToken);

    Task<ChannelInfo?> FindByPublicKeyAsync(string publicKey, CancellationToken cancellationToken);

    /// <summary>Records (or clears, with null) a problem shown on the channel, such as a rejected token.</summary>
    Task SetStatusErrorAsync(long channelId, string? error, CancellationToken cancellationToken);

    /// <summary>The channels of one kind (e.g. for a poller), enabled or not.</summary>
    Task<IReadOnlyList<ChannelInfo>> ListAsync(string kind, CancellationToken cancellationToken);
}
