namespace ContactCenter.Connectors.WhatsApp;

/// <summary>
/// Who opted out of which whatsapp channel (by WhatsApp id). The host stores it; the state set by the later message
/// wins, so a redelivered old STOP never undoes a newer START.
/// </summary>
public interface IWhatsAppOptOuts
{
    /// <param name="messageId">The message that changed the state (its id orders the changes).</param>
    Task RecordAsync(long channelId, string waId, bool optedOut, string keyword, long messageId, CancellationToken cancellationToken);

    Task<bool> IsOptedOutAsync(long channelId, string waId, CancellationToken cancellationToken);
}
