namespace ContactCenter.Connectors.Vk;

/// <summary>
/// What the VK connector needs stored beyond the inbound pipeline; the host implements it (the connector knows no
/// storage): whether a customer lets the community write to them, and the community's own messages (`message_reply`).
/// </summary>
public interface IVkStore
{
    /// <summary>
    /// Records that the customer allowed or denied messages at <paramref name="at"/>; an older change (a redelivery) never
    /// overrides a newer one. Returns whether the state changed.
    /// </summary>
    Task<bool> SetPermissionAsync(long channelId, string userId, bool allowed, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Stores a message the community sent from VK itself as an outbound message of the customer's conversation, once.</summary>
    Task<VkRecordResult> RecordCommunityMessageAsync(VkCommunityMessage message, CancellationToken cancellationToken);

    /// <summary>Applies VK's edit of a message the community sent; false when no such message is stored.</summary>
    Task<bool> EditCommunityMessageAsync(long channelId, string externalId, string? text, DateTimeOffset editedAt, CancellationToken cancellationToken);
}
