namespace ContactCenter.Core;

/// <summary>
/// Tells the managers who may see a conversation that the customer is typing (the web chat visitor), as the
/// inbox's own `typing` event. Implemented by the host; best effort, a lost hint is harmless.
/// </summary>
public interface ICustomerTyping
{
    Task CustomerTypingAsync(long conversationId, string customerName, CancellationToken cancellationToken);
}
