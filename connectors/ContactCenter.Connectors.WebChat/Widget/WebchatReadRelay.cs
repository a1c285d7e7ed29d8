using ContactCenter.Core;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// Shows a widget visitor that a manager read their messages: after a read mark is stored, the conversation's newest
/// read message goes to the visitor's open widgets. Best effort: the history carries the same mark (`readUpTo`).
/// </summary>
public sealed class WebchatReadRelay(IWebChatStore store, IHubContext<WidgetHub, IWidgetClient> hub, ILogger<WebchatReadRelay> logger) : IReadReceiptRelay
{
    public async Task ConversationReadAsync(long conversationId, CancellationToken cancellationToken)
    {
        try
        {
            if (await store.VisitorOfConversationAsync(conversationId, cancellationToken) is { } visitor
                && await store.ReadUpToAsync(conversationId, cancellationToken) is { } upTo)
            {
                await hub.Clients.Group(WidgetGroups.Visitor(visitor)).read(new WidgetRead(upTo));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Read receipt for conversation {ConversationId} was not delivered", conversationId);
        }
    }
}
