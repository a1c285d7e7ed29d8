using ContactCenter.Core;

namespace ContactCenter.Connectors.Vk;

/// <summary>What one Callback API event means to the inbox.</summary>
public abstract record VkInbound
{
    /// <summary>`message_new` from a customer in a private dialog.</summary>
    public sealed record NewMessage(InboundMessage Message) : VkInbound;

    /// <summary>`message_edit` of a customer's message.</summary>
    public sealed record Edit(InboundEdit Value) : VkInbound;

    /// <summary>`message_reply`: the community wrote to the customer (from VK's own interface, or our own send's echo).</summary>
    public sealed record CommunityMessage(VkCommunityMessage Value) : VkInbound;

    /// <summary>`message_edit` of a message the community sent.</summary>
    public sealed record CommunityEdit(long ChannelId, string ExternalId, string? Text, DateTimeOffset? EditedAt) : VkInbound;

    /// <summary>`message_allow` / `message_deny`: whether the customer (<paramref name="UserId"/>) lets the community write to them.</summary>
    public sealed record Permission(string UserId, bool Allowed) : VkInbound;

    /// <summary>Deliberately not handled (group chats, typing): answered `ok`, not stored.</summary>
    public sealed record Ignored(string Reason) : VkInbound;

    /// <summary>An event the service does not understand: stored once for people to look at.</summary>
    public sealed record Unhandled(UnhandledInbound Value) : VkInbound;
}
