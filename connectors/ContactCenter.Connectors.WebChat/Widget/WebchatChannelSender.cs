using ContactCenter.Core;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// Delivers a manager's reply to the visitor's open widgets (every tab and device, on any node through the
/// backplane). A visitor who is away reads it from history when they come back, so a push is `sent`. Files stay where
/// they are: the widget shows them as links/images fetched from the visitor-authorised attachment route.
/// </summary>
public sealed class WebchatChannelSender(IWebChatStore store, IHubContext<WidgetHub, IWidgetClient> hub) : IChannelSender
{
    public string Kind => ChannelKinds.Webchat;

    public bool SupportsAttachments => true;

    public async Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var visible = await store.GetMessageAsync(message.MessageId, cancellationToken);
        if (visible is null)
        {
            return new SendOutcome.Failed("The message no longer exists.");
        }
        var visitor = new Visitor(message.Channel.Id, message.ThreadKey ?? message.Recipient.Address);
        try
        {
            await hub.Clients.Group(WidgetGroups.Visitor(visitor)).messageCreated(visible);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new SendOutcome.Retry("The live push to the visitor failed: " + ex.Message);
        }
        return new SendOutcome.Sent(null);
    }
}
