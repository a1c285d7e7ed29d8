namespace ContactCenter.Core;

/// <summary>
/// Hears that a manager is typing in a conversation, so a channel that can show it to the customer
/// (the web chat widget) does. Called after the hub checked that the manager may see the conversation.
/// </summary>
public interface ITypingRelay
{
    Task ManagerTypingAsync(long conversationId, string managerName, CancellationToken cancellationToken);
}
