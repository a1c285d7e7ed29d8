using ContactCenter.Core;

namespace ContactCenter.Connectors.Vk;

/// <summary>A `vk` channel's settings, read from its JSON (validated by <see cref="VkChannelKind"/>).</summary>
public sealed record VkSettings(long GroupId, string AccessToken, string SecretKey, string ConfirmationCode, Uri ApiBaseUrl)
{
    public static readonly Uri DefaultApiBaseUrl = new("https://api.vk.com/method/");

    public static VkSettings From(ChannelInfo channel) => new(
        long.TryParse(channel.Setting("groupId"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var group) ? group : 0,
        channel.Setting("accessToken") ?? "",
        channel.Setting("secretKey") ?? "",
        channel.Setting("confirmationCode") ?? "",
        Uri.TryCreate(channel.Setting("apiBaseUrl"), UriKind.Absolute, out var api) ? WithSlash(api) : DefaultApiBaseUrl);

    /// <summary>`https://api.vk.com/method` and `.../method/` both mean the same base: method names are appended to it.</summary>
    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
