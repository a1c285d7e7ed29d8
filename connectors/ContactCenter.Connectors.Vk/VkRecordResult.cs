namespace ContactCenter.Connectors.Vk;

public enum VkRecordResult
{
    /// <summary>Stored as a new outbound message.</summary>
    Stored,

    /// <summary>Already stored (a redelivery).</summary>
    Duplicate,

    /// <summary>The echo of a reply this service sent itself (its random_id leads back to it): nothing to add.</summary>
    OwnSend,

    /// <summary>The customer has no conversation on this channel yet: nothing to attach it to.</summary>
    NoConversation,
}
