using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// `/hubs/widget`: a visitor's live connection, behind <see cref="VisitorAuth.Policy"/>. It joins only that
/// visitor's group; managers' replies arrive through <see cref="WebchatChannelSender"/>, typing through
/// <see cref="WebchatTypingRelay"/>.
/// </summary>
public sealed class WidgetHub : Hub<IWidgetClient>
{
    public override async Task OnConnectedAsync()
    {
        var visitor = VisitorAuth.From(Context.User) ?? throw new HubException("A valid visitor token is required.");
        await Groups.AddToGroupAsync(Context.ConnectionId, WidgetGroups.Visitor(visitor));
        await base.OnConnectedAsync();
    }
}
