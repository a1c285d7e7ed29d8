namespace ContactCenter.Core;

/// <summary>A customer changed a message they sent earlier (Telegram's `edited_message`).</summary>
/// <param name="ExternalId">The provider's id of the edited message (the same id the original arrived with).</param>
/// <param name="Text">The new text.</param>
/// <param name="EditedAt">When the customer edited it, per the provider.</param>
/// <param name="Original">The message as a new one, used when the original never reached us (stored marked as edited).</param>
public sealed record InboundEdit(long ChannelId, string ExternalId, string? Text, DateTimeOffset? EditedAt, string RawPayload, InboundMessage Original);

/// <summary>Something a provider sent that the connector does not turn into a message; kept for people to look at, never dropped.</summary>
/// <param name="ExternalId">Unique per channel (e.g. `update:123`): a redelivery is stored once.</param>
/// <param name="Kind">What it is, in the provider's words (`callback_query`, `my_chat_member`).</param>
public sealed record UnhandledInbound(long ChannelId, string ExternalId, string Kind, string RawPayload);

/// <summary>
/// Downloads the content of inbound attachments that arrived as references (a Telegram file id, a media URL).
/// The host runs it from the outbox work `media:&lt;kind&gt;` and stores the file; it must be safe to call twice.
/// </summary>
public interface IInboundMediaFetcher
{
    string Kind { get; }

    /// <summary>Writes the file's bytes to <paramref name="destination"/>.</summary>
    Task<MediaFetchResult> FetchAsync(ChannelInfo channel, string externalRef, Stream destination, CancellationToken cancellationToken);
}

public abstract record MediaFetchResult
{
    /// <summary>The bytes were written; ContentType/FileName refine what the message said, when known.</summary>
    public sealed record Fetched(string? ContentType = null, string? FileName = null) : MediaFetchResult;

    public sealed record Retry(string Reason, TimeSpan? After = null) : MediaFetchResult;

    /// <summary>The file cannot be had (too big, expired): the attachment stays without content, with this reason logged.</summary>
    public sealed record Failed(string Reason) : MediaFetchResult;
}
