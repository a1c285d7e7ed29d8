using System.Text.Json.Nodes;
using ContactCenter.Core;

namespace ContactCenter.Connectors.WhatsApp;

/// <summary>
/// Downloads an inbound file by its media id, run by the host's outbox (`media:whatsapp`): `GET /{media-id}` gives a
/// short-lived URL, fetched with the same Bearer token. The URL must be Meta's (or the channel's own API host).
/// </summary>
public sealed class WhatsAppMediaFetcher(WhatsAppGraph graph) : IInboundMediaFetcher
{
    /// <summary>The Cloud API's largest media (documents) is 100 MB; the host keeps files up to its own cap.</summary>
    public const long MaxBytes = 100L * 1024 * 1024;

    public string Kind => ChannelKinds.WhatsApp;

    public async Task<MediaFetchResult> FetchAsync(ChannelInfo channel, string externalRef, Stream destination, CancellationToken cancellationToken)
    {
        if (externalRef.Length is 0 or > 256 || !externalRef.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            return new MediaFetchResult.Failed("The media id is not one WhatsApp gives.");
        }
        var settings = WhatsAppSettings.From(channel);
        var info = await graph.GetAsync(settings, Uri.EscapeDataString(externalRef), cancellationToken);
        if (!info.Ok)
        {
            return Classify(info.Status, info.Error?.Code ?? 0, info.Network ?? info.Error?.Message, info.RetryAfter, info.Refused);
        }
        if (info.Body is not JsonObject o || o["url"] is not JsonValue u || !u.TryGetValue<string>(out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return new MediaFetchResult.Failed("WhatsApp gave no URL for the media.");
        }
        if (!WhatsAppGraph.IsMediaHost(uri, settings))
        {
            return new MediaFetchResult.Failed($"The media URL's host {uri.Host} is not Meta's; it is not fetched.");
        }
        var (status, contentType, problem, retryAfter) = await graph.DownloadAsync(settings, uri, destination, MaxBytes, cancellationToken);
        if (problem is not null)
        {
            return status == 413 ? new MediaFetchResult.Failed(problem) : Classify(status, 0, problem, retryAfter, problem.Contains("not allowed", StringComparison.Ordinal));
        }
        var mime = o["mime_type"] is JsonValue m && m.TryGetValue<string>(out var t) ? t.Split(';')[0].Trim() : contentType;
        return new MediaFetchResult.Fetched(mime);
    }

    private static MediaFetchResult Classify(int status, int code, string? reason, TimeSpan? after, bool refused) =>
        refused ? new MediaFetchResult.Failed(reason ?? "the address is not allowed")
        : status is 0 or 429 or >= 500 || WhatsAppErrors.IsTransient(code) ? new MediaFetchResult.Retry($"WhatsApp media: {reason ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture)}", after)
        : new MediaFetchResult.Failed(code > 0 ? $"WhatsApp refused the media: {WhatsAppErrors.Describe(code, reason)}" : $"WhatsApp refused the media ({status}).");
}
