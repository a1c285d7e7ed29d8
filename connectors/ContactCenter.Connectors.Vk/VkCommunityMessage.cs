using ContactCenter.Core;

namespace ContactCenter.Connectors.Vk;

/// <summary>A message the community sent to a customer, as VK reports it in `message_reply`.</summary>
/// <param name="PeerAddress">The customer's VK user id (the contact's identity on `vk`).</param>
/// <param name="RandomId">The random_id it was sent with (0 when none): leads back to our own send (<see cref="VkRandomId"/>).</param>
/// <param name="AdminAuthorId">The VK user id of the community admin who wrote it in VK, when VK says.</param>
public sealed record VkCommunityMessage(
    long ChannelId, string ExternalId, string PeerAddress, string? Text, IReadOnlyList<InboundAttachment> Attachments,
    DateTimeOffset? SentAt, long RandomId, string? AdminAuthorId, string RawPayload);
