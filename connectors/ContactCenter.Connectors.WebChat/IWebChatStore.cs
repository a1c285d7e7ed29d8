using ContactCenter.Connectors.WebChat.Widget;
using ContactCenter.Core;

namespace ContactCenter.Connectors.WebChat;

/// <summary>
/// The web chat's reads and writes beside the inbound pipeline; the host implements it (the connector knows no storage):
/// a visitor's own conversation and messages (never notes, never anyone else's), the name/email they gave, and the lead
/// a form submission landed in.
/// </summary>
public interface IWebChatStore
{
    Task<long?> ConversationOfAsync(Visitor visitor, CancellationToken cancellationToken);

    /// <summary>The visitor's messages, newest first, <paramref name="limit"/> at a time before <paramref name="before"/>.</summary>
    Task<WidgetPage> ListAsync(Visitor visitor, int limit, long? before, CancellationToken cancellationToken);

    Task<WidgetMessage?> GetMessageAsync(long messageId, CancellationToken cancellationToken);

    /// <summary>The newest message any manager has read in the conversation: the visitor's messages up to it show "read".</summary>
    Task<long?> ReadUpToAsync(long conversationId, CancellationToken cancellationToken);

    /// <summary>
    /// A stored file of a message the visitor can see (their own conversation, said to or by them, never a note or an
    /// upload no reply took); null for anything else, so another visitor's file is indistinguishable from a missing one.
    /// </summary>
    Task<OutboundAttachment?> VisitorFileAsync(Visitor visitor, long attachmentId, CancellationToken cancellationToken);

    Task<VisitorProfile> ProfileAsync(Visitor visitor, CancellationToken cancellationToken);

    /// <summary>
    /// Remembers the name/email a visitor gave (used when their first message creates the contact) and fills
    /// the contact's empty name/email if it exists already. Never overwrites what a contact has: the visitor is unverified.
    /// An email given after the first message is not matched either; the contact it belongs to becomes a possible duplicate.
    /// </summary>
    Task SaveProfileAsync(Visitor visitor, string? name, string? email, CancellationToken cancellationToken, string? phone = null);

    /// <summary>The web chat visitor of a conversation, or null when it is not a widget conversation.</summary>
    Task<Visitor?> VisitorOfConversationAsync(long conversationId, CancellationToken cancellationToken);

    Task<(long? LeadId, long? DealId)> CrmOfConversationAsync(long conversationId, CancellationToken cancellationToken);
}
