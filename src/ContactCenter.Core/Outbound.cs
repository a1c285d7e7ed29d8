namespace ContactCenter.Core;

/// <summary>A manager's reply on its way to the customer, as the outbox hands it to the channel's sender.</summary>
public sealed record OutboundMessage(
    long MessageId,
    long ConversationId,
    ChannelInfo Channel,
    OutboundRecipient Recipient,
    string? ThreadKey,
    string Text,
    string? ReplyToExternalId,
    IReadOnlyList<OutboundAttachment> Attachments,
    int Attempt,
    DateTimeOffset CreatedAt)
{
    /// <summary>Provider facts stored with the conversation's messages (e.g. email Message-IDs for threading).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Sent by automation, not a person (email marks it `Auto-Submitted`, so the customer's auto-responders stay quiet).</summary>
    public bool Automated { get; init; }
}

/// <param name="Address">The contact's identity on this channel's kind (the same value the inbound side used).</param>
public sealed record OutboundRecipient(long ContactId, string Address, string? Name, string? Email, string? Phone);

/// <summary>A file a manager attached to a reply; read its content through <see cref="IAttachmentContent"/>.</summary>
public sealed record OutboundAttachment(long Id, string FileName, string ContentType, long Size, string StoragePath);

/// <summary>Opens stored attachment files for the connectors that send them (registered by the host).</summary>
public interface IAttachmentContent
{
    /// <summary>Opens the stored file for reading; the caller disposes the stream.</summary>
    Stream OpenRead(OutboundAttachment attachment);
}

public abstract record SendOutcome
{
    /// <summary>The provider accepted it. Status is `sent` or `delivered`.</summary>
    public sealed record Sent(string? ExternalId, string Status = "sent") : SendOutcome;

    /// <summary>A transient failure: try again later (after RetryAfter when the provider says so).</summary>
    public sealed record Retry(string Reason, TimeSpan? RetryAfter = null) : SendOutcome;

    /// <summary>A permanent failure, shown on the message in plain words.</summary>
    public sealed record Failed(string Reason) : SendOutcome;
}

/// <summary>Delivers outbound messages of one channel kind. Must be safe to call twice for one message.</summary>
public interface IChannelSender
{
    string Kind { get; }

    /// <summary>Whether replies with files can leave on this kind; a reply with files on another kind is refused up front.</summary>
    bool SupportsAttachments => false;

    Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}

/// <summary>Provider-reported delivery updates (e.g. Twilio status callbacks); a later state never goes back.</summary>
public interface IMessageStatusSink
{
    /// <returns>false when no message of this channel has that external id.</returns>
    Task<bool> UpdateStatusAsync(long channelId, string externalId, string status, string? error, CancellationToken cancellationToken);
}
