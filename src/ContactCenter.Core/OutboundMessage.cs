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
