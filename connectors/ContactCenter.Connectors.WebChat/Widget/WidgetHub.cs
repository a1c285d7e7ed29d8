using ContactCenter.Core;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// `/hubs/widget`: a visitor's live connection, behind <see cref="VisitorAuth.Policy"/>. It joins only that
/// visitor's group; managers' replies arrive through <see cref="WebchatChannelSender"/>, typing through
/// <see cref="WebchatTypingRelay"/>, read marks through <see cref="WebchatReadRelay"/>. The visitor's own typing goes
/// the other way through <see cref="Typing"/>.
/// </summary>
public sealed class WidgetHub(IWebChatStore store, ICustomerTyping customerTyping, TimeProvider clock) : Hub<IWidgetClient>
{
    private static readonly TimeSpan TypingEvery = TimeSpan.FromSeconds(1);

    public override async Task OnConnectedAsync()
    {
        var visitor = VisitorAuth.From(Context.User) ?? throw new HubException("A valid visitor token is required.");
        await Groups.AddToGroupAsync(Context.ConnectionId, WidgetGroups.Visitor(visitor));
        await base.OnConnectedAsync();
    }

    /// <summary>
    /// The visitor is typing: the managers who may see their conversation hear it (nothing before the first message,
    /// there is no conversation yet). At most one hint a second per connection reaches the inbox; the rest are dropped.
    /// </summary>
    public async Task Typing()
    {
        var now = clock.GetUtcNow();
        if (Context.Items.TryGetValue("typedAt", out var last) && last is DateTimeOffset at && now - at < TypingEvery)
        {
            return;
        }
        Context.Items["typedAt"] = now;
        var visitor = VisitorAuth.From(Context.User) ?? throw new HubException("A valid visitor token is required.");
        if (await store.ConversationOfAsync(visitor, Context.ConnectionAborted) is { } conversationId)
        {
            var name = (await store.ProfileAsync(visitor, Context.ConnectionAborted)).Name;
            await customerTyping.CustomerTypingAsync(conversationId, name ?? "Visitor", Context.ConnectionAborted);
        }
    }
}
