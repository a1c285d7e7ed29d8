namespace ContactCenter.Core;

/// <summary>
/// Hears that a manager read a conversation (the inbox marked it read), so a channel that can show it to the
/// customer (the web chat widget's "read") does. Called after the read mark is stored; best effort.
/// </summary>
public interface IReadReceiptRelay
{
    Task ConversationReadAsync(long conversationId, CancellationToken cancellationToken);
}
