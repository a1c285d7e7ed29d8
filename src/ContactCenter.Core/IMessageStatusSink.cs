namespace ContactCenter.Core;

/// <summary>Provider-reported delivery updates (e.g. Twilio status callbacks); a later state never goes back.</summary>
public interface IMessageStatusSink
{
    /// <returns>false when no message of this channel has that external id.</returns>
    Task<bool> UpdateStatusAsync(long channelId, string externalId, string status, string? error, CancellationToken cancellationToken);
}
