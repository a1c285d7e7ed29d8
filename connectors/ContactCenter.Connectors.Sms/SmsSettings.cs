using ContactCenter.Core;

namespace ContactCenter.Connectors.Sms;

/// <summary>
/// An sms channel's settings, read from its JSON. `publicWebhookUrl` is the URL Twilio calls for incoming messages
/// exactly as configured in the console (signatures are computed over it); when it names only a host, the channel's
/// route `/webhooks/twilio/{id}` on that host is meant. Status callbacks go to the same URL plus `/status`.
/// </summary>
public sealed record SmsSettings(string AccountSid, string AuthToken, string FromNumber, string PublicWebhookUrl, Uri? ApiBaseUrl) : ITwilioAccount
{
    public static SmsSettings From(ChannelInfo channel) => new(
        channel.Setting("accountSid") ?? "",
        channel.Setting("authToken") ?? "",
        channel.Setting("fromNumber") ?? "",
        channel.Setting("publicWebhookUrl") ?? "",
        Uri.TryCreate(channel.Setting("apiBaseUrl"), UriKind.Absolute, out var api) ? api : null);

    /// <summary>The URL Twilio signs incoming-message webhooks with (paste it into the number's "A message comes in").</summary>
    public string MessagesUrl(long channelId)
    {
        var (path, query) = Split(PublicWebhookUrl);
        if (Uri.TryCreate(path, UriKind.Absolute, out var uri) && uri.AbsolutePath is "" or "/")
        {
            path = path.TrimEnd('/') + $"/webhooks/twilio/{channelId}";
        }
        return path + query;
    }

    /// <summary>The URL given to Twilio as each outbound message's StatusCallback (and signed by Twilio with it).</summary>
    public string StatusCallbackUrl(long channelId)
    {
        var (path, query) = Split(MessagesUrl(channelId));
        return path.TrimEnd('/') + "/status" + query;
    }

    private static (string Path, string Query) Split(string url)
    {
        var at = url.IndexOf('?', StringComparison.Ordinal);
        return at < 0 ? (url, "") : (url[..at], url[at..]);
    }
}
