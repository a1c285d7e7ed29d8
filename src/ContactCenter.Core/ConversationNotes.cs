namespace ContactCenter.Core;

/// <summary>
/// System notes a connector puts in a conversation for the managers (e.g. "The customer blocked the bot"): stored as a
/// `note` message from `System` with `metadata.notice = key`, and pushed live. Implemented by the host.
/// </summary>
public interface IConversationNotes
{
    /// <summary>
    /// Adds the note unless a note with the same <paramref name="key"/> was added since the customer last wrote,
    /// so a notice appears once per episode, not once per failed reply. Returns whether it was added.
    /// </summary>
    Task<bool> AddOnceAsync(long conversationId, string key, string text, CancellationToken cancellationToken);
}
