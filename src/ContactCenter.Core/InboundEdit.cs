namespace ContactCenter.Core;

/// <summary>A customer changed a message they sent earlier (Telegram's `edited_message`).</summary>
/// <param name="ExternalId">The provider's id of the edited message (the same id the original arrived with).</param>
/// <param name="Text">The new text.</param>
/// <param name="EditedAt">When the customer edited it, per the provider.</param>
/// <param name="Original">The message as a new one, used when the original never reached us (stored marked as edited).</param>
public sealed record InboundEdit(long ChannelId, string ExternalId, string? Text, DateTimeOffset? EditedAt, string RawPayload, InboundMessage Original);
