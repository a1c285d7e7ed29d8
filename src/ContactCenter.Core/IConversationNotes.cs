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
