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

/// <param name="Address">The identity on this kind of channel: a Telegram user id, an E.164 number, an email address, an api contact id.</param>
public sealed record SenderIdentity(
    string Address,
    string? DisplayName = null,
    string? Email = null,
    string? Phone = null,
    string? Username = null)
{
    /// <summary>
    /// The <see cref="Email"/> and <see cref="Phone"/> are only what an anonymous visitor typed (a web chat visitor, a web
    /// form), not proven by the channel the way a mailbox proves a sender's address or a phone network a number. The
    /// pipeline then never matches an existing contact on them — anyone could type a known customer's email and inherit
    /// their name, phone and deal — but makes a new contact (found later by <see cref="Address"/> as usual), flags its
    /// details as unverified so nobody else is matched onto it either, and records the contact they point at as a
    /// possible duplicate for a manager to merge. False (the default) keeps today's rule: identity, email, phone.
    /// </summary>
    public bool Unverified { get; init; }
}

/// <param name="ExternalRef">How to fetch the content later (a Telegram file id, a media URL); null when Content is given.</param>
public sealed record InboundAttachment(
    string FileName,
    string? ContentType,
    long? Size,
    string? ExternalRef,
    byte[]? Content = null);

/// <summary>What the pipeline did with one inbound message.</summary>
public sealed record IngestResult(long MessageId, long ConversationId, long ContactId, bool Duplicate)
{
    /// <summary>The system note "Snooze ended: the customer wrote." when this message woke a snoozed conversation, so it is pushed live with it.</summary>
    public long? WakeNoteId { get; init; }
}

public interface IInboundPipeline
{
    /// <summary>Stores the message durably (one transaction) and pushes it live; returns only after commit.</summary>
    Task<IngestResult> IngestAsync(InboundMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a customer's edit: the stored text changes, the first text is kept in the message's metadata
    /// (`originalText`) and the message is marked `edited`; pushes `messageUpdated`. An edit of a message
    /// never stored is ingested as <see cref="InboundEdit.Original"/>. Safe to apply twice.
    /// </summary>
    Task<IngestResult> EditAsync(InboundEdit edit, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This pipeline does not apply edits.");

    /// <summary>Stores something the connector could not turn into a message (once per external id), so nothing is dropped silently.</summary>
    Task RecordUnhandledAsync(UnhandledInbound item, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This pipeline does not record unhandled input.");
}
