namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// A check every public reply must pass (an SMS number that opted out, a VK customer who denied messages, a WhatsApp
/// conversation outside its 24-hour window): the refusal, or null to let it go. Registered in DI by the channel's
/// `Add<Channel>()`; <see cref="ConversationService"/> runs them all, in registration order, before anything is stored.
/// Each guard answers null for conversations of other channels.
/// </summary>
public interface IReplyGuard
{
    Task<ConversationService.Refusal?> CheckAsync(long conversationId, ConversationService.ReplyParts parts, CancellationToken ct);
}
