namespace ContactCenter.Core;

/// <summary>Whether anyone can answer on a channel right now (the web chat shows its offline form when nobody can). Implemented by the host.</summary>
public interface IChannelPresence
{
    /// <summary>True when at least one active member of the channel is online and not away.</summary>
    Task<bool> AnyMemberOnlineAsync(long channelId, CancellationToken cancellationToken);
}
