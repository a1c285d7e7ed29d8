namespace ContactCenter.Core;

/// <summary>
/// One customer message as every connector hands it to the inbound pipeline, whatever its wire format.
/// </summary>
/// <param name="ChannelId">The channel it arrived on.</param>
/// <param name="ExternalId">The provider's id of the message; (channel, external id) is unique, so redelivery is stored once.</param>
/// <param name="ThreadKey">Separates several conversations of one contact on one channel (an email thread); null for chats.</param>
/// <param name="Sender">Who wrote it, as the provider names them.</param>
/// <param name="Text">Plain text (already extracted from HTML where the provider sends HTML).</param>
/// <param name="Html">Sanitised HTML, or null.</param>
/// <param name="Attachments">Files that came with the message (content may be fetched later by a job).</param>
/// <param name="SentAt">When the customer sent it, per the provider; null means now.</param>
/// <param name="ReplyToExternalId">The provider's id of the message this one replies to.</param>
/// <param name="RawPayload">The provider's payload as received, kept for audit and re-parsing.</param>
public sealed record InboundMessage(
    long ChannelId,
    string ExternalId,
    string? ThreadKey,
    SenderIdentity Sender,
    string? Text,
    string? Html,
    IReadOnlyList<InboundAttachment> Attachments,
    DateTimeOffset? SentAt,
    string? ReplyToExternalId,
    string RawPayload)
{
    /// <summary>Where the lead came from (an ad campaign, a form's UTM tags); recorded on a lead or deal it opens.</summary>
    public string? Source { get; init; }

    /// <summary>Provider facts worth keeping on the message (subject, cc, auto-reply flags...), stored as JSON.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>
    /// Sent by a machine, not a person (an out-of-office reply, a mailing list, a delivery report): stored and shown,
    /// but it opens no lead or deal, triggers no automation (so no auto-answer), does not reopen a resolved
    /// conversation and does not start or restart the customer's wait (response times, SLA).
    /// </summary>
    public bool Automated { get; init; }
}
