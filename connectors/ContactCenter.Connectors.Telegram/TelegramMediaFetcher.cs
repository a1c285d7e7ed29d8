using ContactCenter.Core;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace ContactCenter.Connectors.Telegram;

/// <summary>Downloads an inbound file by its file id: getFile, then the file URL (bots may download up to 20 MB).</summary>
public sealed class TelegramMediaFetcher(TelegramClients clients) : IInboundMediaFetcher
{
    public const long MaxBytes = 20L * 1024 * 1024;

    public string Kind => ChannelKinds.Telegram;

    public async Task<MediaFetchResult> FetchAsync(ChannelInfo channel, string externalRef, Stream destination, CancellationToken cancellationToken)
    {
        TelegramBotClient client;
        try
        {
            client = clients.For(channel);
        }
        catch (ArgumentException)
        {
            return new MediaFetchResult.Failed("The channel's bot token is not valid.");
        }
        try
        {
            var file = await client.GetFile(externalRef, cancellationToken);
            if (file.FileSize > MaxBytes)
            {
                return new MediaFetchResult.Failed("The file is larger than the 20 MB a bot may download.");
            }
            if (string.IsNullOrEmpty(file.FilePath))
            {
                return new MediaFetchResult.Failed("Telegram gave no path for the file.");
            }
            await client.DownloadFile(file.FilePath, destination, cancellationToken);
            return new MediaFetchResult.Fetched();
        }
        catch (ApiRequestException ex) when (ex.ErrorCode is 429 or >= 500)
        {
            return new MediaFetchResult.Retry($"Telegram answered {ex.ErrorCode}: {ex.Message}",
                ex.Parameters?.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : null);
        }
        catch (ApiRequestException ex)
        {
            return new MediaFetchResult.Failed($"Telegram refused the file: {ex.Message}");
        }
        catch (Exception ex) when (ex is RequestException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new MediaFetchResult.Retry($"The file could not be downloaded: {ex.Message}");
        }
    }
}
