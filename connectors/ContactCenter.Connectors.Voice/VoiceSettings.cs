using ContactCenter.Connectors.Sms;
using ContactCenter.Core;

namespace ContactCenter.Connectors.Voice;

/// <summary>
/// A voice channel's settings: `{accountSid, authToken, phoneNumber, publicWebhookUrl, recordCalls, ringStrategy, language?, apiBaseUrl?}`.
/// `publicWebhookUrl` is the public URL of the app as Twilio reaches it (signatures are computed over it); when it names
/// only a host, the channel's route `/webhooks/voice/{id}` on that host is meant, and the other callbacks hang below it.
/// </summary>
public sealed record VoiceSettings(string AccountSid, string AuthToken, string PhoneNumber, string PublicWebhookUrl, bool RecordCalls,
    string RingStrategy, string Language, Uri? ApiBaseUrl) : ITwilioAccount
{
    public const string Simultaneous = "simultaneous";
    public const string Sequential = "sequential";

    public static VoiceSettings From(ChannelInfo channel) => new(
        channel.Setting("accountSid") ?? "",
        channel.Setting("authToken") ?? "",
        channel.Setting("phoneNumber") ?? "",
        channel.Setting("publicWebhookUrl") ?? "",
        channel.Setting("recordCalls") == "true",
        channel.Setting("ringStrategy") == Sequential ? Sequential : Simultaneous,
        channel.Setting("language") == "ru" ? "ru" : "en",
        Uri.TryCreate(channel.Setting("apiBaseUrl"), UriKind.Absolute, out var api) ? api : null);

    /// <summary>The same account as the sms connector sees it: its HTTP client and media fetcher take this shape.</summary>
    public SmsSettings Twilio => new(AccountSid, AuthToken, PhoneNumber, PublicWebhookUrl, ApiBaseUrl);

    /// <summary>The number's "A call comes in" webhook (paste it into the Twilio console).</summary>
    public string VoiceUrl(long channelId)
    {
        var (path, query) = Split(PublicWebhookUrl);
        if (Uri.TryCreate(path, UriKind.Absolute, out var uri) && uri.AbsolutePath is "" or "/")
        {
            path = path.TrimEnd('/') + $"/webhooks/voice/{channelId}";
        }
        return path + query;
    }

    /// <summary>The "Call status changes" callback.</summary>
    public string StatusUrl(long channelId) => Below(channelId, "status");

    public string RecordingUrl(long channelId) => Below(channelId, "recording");

    /// <summary>The Dial action: Twilio posts the outcome of one ring round here (`next` = index of the next manager to ring).</summary>
    public string DialUrl(long channelId, int next) => Below(channelId, "dial", $"next={next}");

    /// <summary>Asked by Twilio when a ringing manager picks up, before the caller is connected (tells us who answered).</summary>
    public string AnsweredUrl(long channelId, long userId) => Below(channelId, "answered", $"user={userId}");

    /// <summary>Click-to-call: the TwiML run once the manager picked up, dialling the contact.</summary>
    public string OutboundUrl(long channelId, string to) => Below(channelId, "outbound", "to=" + Uri.EscapeDataString(to));

    private string Below(long channelId, string step, string? extra = null)
    {
        var (path, query) = Split(VoiceUrl(channelId));
        var q = query.Length == 0 ? (extra is null ? "" : "?" + extra) : (extra is null ? query : query + "&" + extra);
        return path.TrimEnd('/') + "/" + step + q;
    }

    private static (string Path, string Query) Split(string url)
    {
        var at = url.IndexOf('?', StringComparison.Ordinal);
        return at < 0 ? (url, "") : (url[..at], url[at..]);
    }
}
