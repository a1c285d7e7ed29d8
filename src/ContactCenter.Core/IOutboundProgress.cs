namespace ContactCenter.Core;

/// <summary>
/// What a sender has already delivered of one outbound message that goes out in several provider calls (files, long
/// text), so a second run of the same send (the outbox retries after a partial success) does not repeat them.
/// Kept in the message's metadata as `sent:{part}` = the provider's id. Implemented by the host.
/// </summary>
public interface IOutboundProgress
{
    /// <summary>The parts already sent, by part name, with the provider's id of each.</summary>
    Task<IReadOnlyDictionary<string, string>> SentPartsAsync(long messageId, CancellationToken cancellationToken);

    Task RecordPartAsync(long messageId, string part, string externalId, CancellationToken cancellationToken);
}
