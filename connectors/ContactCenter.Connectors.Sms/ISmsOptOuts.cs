namespace ContactCenter.Connectors.Sms;

/// <summary>
/// Who said STOP to which channel's number. The host stores it (the connector knows no storage); the state set by the
/// later message wins, so a redelivered old STOP never undoes a newer START.
/// </summary>
public interface ISmsOptOuts
{
    /// <param name="messageId">The message that changed the state (its id orders the changes).</param>
    Task RecordAsync(long channelId, string phone, bool optedOut, string keyword, long messageId, CancellationToken cancellationToken);

    Task<bool> IsOptedOutAsync(long channelId, string phone, CancellationToken cancellationToken);
}
