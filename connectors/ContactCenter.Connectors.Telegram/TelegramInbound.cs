using ContactCenter.Core;

namespace ContactCenter.Connectors.Telegram;

/// <summary>What one Bot API update means to the inbox.</summary>
public abstract record TelegramInbound
{
    public sealed record NewMessage(InboundMessage Message) : TelegramInbound;

    public sealed record Edit(InboundEdit Value) : TelegramInbound;

    /// <summary>Deliberately not handled (group chats, channel posts): logged, answered 200, not stored.</summary>
    public sealed record Ignored(string Reason) : TelegramInbound;

    /// <summary>An update the service does not understand: stored for people to look at.</summary>
    public sealed record Unhandled(UnhandledInbound Value) : TelegramInbound;

    /// <summary>The customer blocked (or unblocked) the bot in their private chat: <paramref name="Address"/> is their user id.</summary>
    public sealed record BotBlocked(string Address, bool Blocked) : TelegramInbound;
}
