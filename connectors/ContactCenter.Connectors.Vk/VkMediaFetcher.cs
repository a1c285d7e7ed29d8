using ContactCenter.Core;

namespace ContactCenter.Connectors.Vk;

/// <summary>
/// Downloads an inbound file by the URL the event gave (photo sizes, documents, voice messages, stickers). Only VK's
/// own hosts are fetched (or the host of the channel's apiBaseUrl, a stand-in in tests), and only through the outbound
/// guard, so a forged URL cannot make the server fetch from elsewhere.
/// </summary>
public sealed class VkMediaFetcher(VkApi api) : IInboundMediaFetcher
{
    private static readonly string[] VkDomains = ["vk.com", "vk.ru", "vk.me", "userapi.com", "vkuseraudio.net", "vkuservideo.net", "vkuserphoto.ru", "vk-cdn.net", "mycdn.me"];

    public string Kind => ChannelKinds.Vk;

    public async Task<MediaFetchResult> FetchAsync(ChannelInfo channel, string externalRef, Stream destination, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(externalRef, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            return new MediaFetchResult.Failed("The file's address is not a URL.");
        }
        if (!IsVkHost(url, VkSettings.From(channel).ApiBaseUrl))
        {
            return new MediaFetchResult.Failed($"The file is on {url.Host}, which is not a VK host.");
        }
        try
        {
            var contentType = await api.DownloadAsync(externalRef, destination, cancellationToken);
            // VK's CDN answers documents as application/octet-stream: keep the type the event implied then.
            return new MediaFetchResult.Fetched(contentType is null or "application/octet-stream" or "binary/octet-stream" ? null : contentType);
        }
        catch (VkApiException ex) when (ex.HttpStatus is 429 or >= 500)
        {
            return new MediaFetchResult.Retry(ex.Message);
        }
        catch (VkApiException ex)
        {
            // VK's file links expire; a refused one will not come back.
            return new MediaFetchResult.Failed(ex.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new MediaFetchResult.Retry($"The file could not be downloaded: {ex.Message}");
        }
    }

    public static bool IsVkHost(Uri url, Uri apiBaseUrl)
    {
        var host = url.IdnHost.TrimEnd('.');
        return VkDomains.Any(d => host.Equals(d, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + d, StringComparison.OrdinalIgnoreCase))
            || (host.Equals(apiBaseUrl.IdnHost, StringComparison.OrdinalIgnoreCase) && url.Port == apiBaseUrl.Port);
    }
}
