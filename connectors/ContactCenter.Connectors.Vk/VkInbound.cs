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

/// <summary>A message the community sent to a customer, as VK reports it in `message_reply`.</summary>
/// <param name="PeerAddress">The customer's VK user id (the contact's identity on `vk`).</param>
/// <param name="RandomId">The random_id it was sent with (0 when none): leads back to our own send (<see cref="VkRandomId"/>).</param>
/// <param name="AdminAuthorId">The VK user id of the community admin who wrote it in VK, when VK says.</param>
public sealed record VkCommunityMessage(
    long ChannelId, string ExternalId, string PeerAddress, string? Text, IReadOnlyList<InboundAttachment> Attachments,
    DateTimeOffset? SentAt, long RandomId, string? AdminAuthorId, string RawPayload);

/// <summary>The body is JSON, but not shaped like a Callback API event (a field VK always sends is missing).</summary>
public sealed class VkShapeException(string message) : FormatException(message);
