using ContactCenter.Core;

namespace ContactCenter.Connectors.Sms;

/// <summary>
/// MMS media (`MediaUrlN`) through the same contract as Telegram's, VK's and WhatsApp's files: the host's outbox work
/// `media:sms` stores what this downloads with the channel's Twilio credentials (<see cref="TwilioMediaClient"/>).
/// </summary>
public sealed class TwilioMediaFetcher(TwilioMediaClient media) : IInboundMediaFetcher
{
    public string Kind => ChannelKinds.Sms;

    public async Task<MediaFetchResult> FetchAsync(ChannelInfo channel, string externalRef, Stream destination, CancellationToken cancellationToken)
    {
        switch (await media.DownloadAsync(channel, externalRef, cancellationToken))
        {
            case TwilioMediaClient.Result.Fetched fetched:
                await destination.WriteAsync(fetched.Content, cancellationToken);
                return new MediaFetchResult.Fetched(fetched.ContentType);
            case TwilioMediaClient.Result.Retry retry:
                return new MediaFetchResult.Retry(retry.Reason, retry.After);
            case TwilioMediaClient.Result.Failed failed:
                return new MediaFetchResult.Failed(failed.Reason);
            default:
                throw new InvalidOperationException("Unknown media result.");
        }
    }
}
