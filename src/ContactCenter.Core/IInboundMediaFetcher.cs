namespace ContactCenter.Core;

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
