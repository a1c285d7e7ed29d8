namespace ContactCenter.Api.Features.Messages;

/// <summary>
/// A message staff or the system writes into a conversation — a reply, a private or system note, an automated message, a
/// call record — for <see cref="MessageWriter"/>. An outbound message is `queued` and gets an outbox item, unless it
/// records something that already happened elsewhere (<see cref="SentAt"/>); a note is `sent` and never leaves.
/// </summary>
/// <param name="ConversationId">The conversation written into; its channel is the message's.</param>
/// <param name="Note">A note (seen by staff only) rather than an outbound message.</param>
/// <param name="Text">The message's text; null: a provider's message of files only (a VK community's).</param>
/// <param name="At">Its created and updated time, the conversation's bump and the timeline entry's; null: the database's `now()`.</param>
public sealed record NewMessage(long ConversationId, bool Note, string? Text, DateTimeOffset? At)
{
    /// <summary>The person who writes it; null: System. Also the timeline entry's actor.</summary>
    public long? SenderUserId { get; init; }

    /// <summary>
    /// Written by a person outside the app (a VK community admin in VK itself): stored with sender type `user` and no
    /// user (its `metadata.senderName` names them); the timeline entry's actor stays System.
    /// </summary>
    public bool ByPersonElsewhere { get; init; }

    /// <summary>The provider's payload it came in (a VK community message), stored as the message's `raw`.</summary>
    public string? Raw { get; init; }

    /// <summary>
    /// Files the provider holds (a VK community message's documents), stored as new attachments with their external
    /// reference; those with one get fetched by the outbox item <see cref="MediaFetch"/>.
    /// </summary>
    public IReadOnlyList<ProviderFile> Files { get; init; } = [];

    /// <summary>The outbox kind that fetches <see cref="Files"/> (e.g. `media:vk`), queued when one has an external reference.</summary>
    public string? MediaFetch { get; init; }

    /// <summary>The idempotency key, unique per conversation: a second write with it stores nothing and answers the first message's id.</summary>
    public string? ClientMessageId { get; init; }

    /// <summary>String pairs stored as the message's `metadata` (none: null).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Which automatic message this is (`metadata.automated`, also written on its timeline entry), e.g. `csat`.</summary>
    public string? Automated { get; init; }

    public long? ReplyToId { get; init; }

    /// <summary>The provider's id of something that already happened (a call's CallSid).</summary>
    public string? ExternalId { get; init; }

    /// <summary>Set for an outbound message that records what was done elsewhere: stored `sent`, with no outbox item.</summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>How the conversation moves with the message; null: not at all (system notes).</summary>
    public ConversationBump? Bump { get; init; }

    /// <summary>A `message` entry on the conversation's lead or deal timeline (messageId, conversationId, direction, preview).</summary>
    public bool OnTimeline { get; init; }

    /// <summary>Uploads attached to the message: only unsent ones of <see cref="UploadedBy"/> to this conversation are taken.</summary>
    public IReadOnlyList<long> AttachmentIds { get; init; } = [];

    public long? UploadedBy { get; init; }
}

/// <summary>A file a provider holds for a message it reported (fetched later by its media job through <paramref name="ExternalRef"/>).</summary>
public sealed record ProviderFile(string FileName, string ContentType, long? Size, string? ExternalRef);
