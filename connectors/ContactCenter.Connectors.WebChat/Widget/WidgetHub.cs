using ContactCenter.Connectors.WebChat.Sites;
using ContactCenter.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// `/hubs/widget`: a visitor's live connection. The visitor token comes as `access_token` (browsers cannot set
/// headers on WebSockets) or as a bearer header; the connection joins only that visitor's group, and only from
/// an allowed page. Managers' replies arrive through <see cref="WebchatChannelSender"/>.
/// </summary>
public sealed class WidgetHub(VisitorTokens tokens, IChannelDirectory channels) : Hub<IWidgetClient>
{
    public override async Task OnConnectedAsync()
    {
        var request = Context.GetHttpContext()?.Request ?? throw new HubException("A visitor token is required.");
        var visitor = tokens.ReadToken(request.Query["access_token"].ToString()) ?? tokens.FromRequest(request)
            ?? throw new HubException("A valid visitor token is required.");
        var channel = await channels.FindAsync(visitor.ChannelId, Context.ConnectionAborted);
        if (channel is not { Kind: ChannelKinds.Webchat, Enabled: true } || !SiteOrigins.IsAllowed(channel, request))
        {
            throw new HubException("This page may not use this chat.");
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, WidgetGroups.Visitor(visitor));
        await base.OnConnectedAsync();
    }
}
