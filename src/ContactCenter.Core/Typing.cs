namespace ContactCenter.Core;

/// <summary>
/// Hears that a manager is typing in a conversation, so a channel that can show it to the customer
/// (the web chat widget) does. Called after the hub checked that the manager may see the conversation.
/// </summary>
public interface ITypingRelay
{
    Task ManagerTypingAsync(long conversationId, string managerName, CancellationToken cancellationToken);
}

/// <summary>
/// Tells the managers who may see a conversation that the customer is typing (the web chat visitor), as the
/// inbox's own `typing` event. Implemented by the host; best effort, a lost hint is harmless.
/// </summary>
public interface ICustomerTyping
{
    Task CustomerTypingAsync(long conversationId, string customerName, CancellationToken cancellationToken);
}
