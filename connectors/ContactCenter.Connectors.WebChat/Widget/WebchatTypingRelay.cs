using ContactCenter.Core;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>Shows a widget visitor that a manager is typing. Best effort: a lost typing hint is harmless.</summary>
public sealed class WebchatTypingRelay(IWebChatStore store, IHubContext<WidgetHub, IWidgetClient> hub, ILogger<WebchatTypingRelay> logger) : ITypingRelay
{
    public async Task ManagerTypingAsync(long conversationId, string managerName, CancellationToken cancellationToken)
    {
        try
        {
            if (await store.VisitorOfConversationAsync(conversationId, cancellationToken) is { } visitor)
            {
                await hub.Clients.Group(WidgetGroups.Visitor(visitor)).typing(new WidgetTyping(managerName));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Typing hint for conversation {ConversationId} was not delivered", conversationId);
        }
    }
}
