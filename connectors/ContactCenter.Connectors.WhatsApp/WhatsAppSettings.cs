using ContactCenter.Core;

namespace ContactCenter.Connectors.WhatsApp;

/// <summary>
/// A whatsapp channel's settings, read from its JSON: `{phoneNumberId, accessToken, appSecret, verifyToken,
/// businessAccountId?, apiBaseUrl?}`. The access token, app secret and verify token are secrets.
/// </summary>
public sealed record WhatsAppSettings(string PhoneNumberId, string AccessToken, string AppSecret, string VerifyToken, string? BusinessAccountId, Uri ApiBaseUrl)
{
    /// <summary>The Graph API version the connector was written against; a channel may point elsewhere with `apiBaseUrl`.</summary>
    public static readonly Uri DefaultApiBaseUrl = new("https://graph.facebook.com/v21.0");

    public static WhatsAppSettings From(ChannelInfo channel) => new(
        channel.Setting("phoneNumberId") ?? "",
        channel.Setting("accessToken") ?? "",
        channel.Setting("appSecret") ?? "",
        channel.Setting("verifyToken") ?? "",
        channel.Setting("businessAccountId") is { Length: > 0 } waba ? waba : null,
        Uri.TryCreate(channel.Setting("apiBaseUrl"), UriKind.Absolute, out var api) ? api : DefaultApiBaseUrl);

    /// <summary>`{apiBaseUrl}/{path}`: the base keeps its version segment (`/v21.0`).</summary>
    public Uri Graph(string path) => new($"{ApiBaseUrl.AbsoluteUri.TrimEnd('/')}/{path.TrimStart('/')}");

    /// <summary>The webhook URL to paste into the Meta app (Callback URL); relative when the server knows no public URL.</summary>
    public static string WebhookUrl(string? publicBaseUrl, long channelId) =>
        $"{(publicBaseUrl ?? "").TrimEnd('/')}/webhooks/whatsapp/{channelId}";
}
