namespace ContactCenter.Core;

/// <summary>
/// System notes a connector puts in a conversation for the managers (e.g. "The customer blocked the bot"): stored as a
/// `note` message from `System` with `metadata.notice = key`, and pushed live. Implemented by the host.
/// </summary>
public interface IConversationNotes
{
    /// <summary>
    /// Adds the note unless the newest notice since the customer last wrote already has this <paramref name="key"/>,
    /// so a notice appears once per episode, not once per failed reply, and a new episode (blocked, unblocked, blocked
    /// again) is noted again. Returns whether it was added.
    /// </summary>
    Task<bool> AddOnceAsync(long conversationId, string key, string text, CancellationToken cancellationToken);

    /// <summary>
    /// The same, in the latest conversation on this channel of the contact with this identity (the address the inbound
    /// side used). Returns false when there is no such conversation or the note was already there.
    /// </summary>
    Task<bool> AddOnceForContactAsync(long channelId, string address, string key, string text, CancellationToken cancellationToken);
}

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
