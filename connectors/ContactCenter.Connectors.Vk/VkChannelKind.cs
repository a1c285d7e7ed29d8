using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Connectors.Vk;

/// <summary>
/// `vk` channels (community messages over the Callback API): `{groupId, accessToken, secretKey, confirmationCode,
/// apiBaseUrl?}`. The token and the secret key are secrets. On save the token is tried with groups.getById (it must be a
/// community token of this very community); a problem becomes the channel's status error, never an exception.
/// </summary>
public sealed partial class VkChannelKind(VkApi api, IChannelDirectory channels, IOptions<VkOptions> options, ILogger<VkChannelKind> logger) : IChannelKindHandler
{
    public string Kind => ChannelKinds.Vk;

    public IReadOnlyCollection<string> SecretSettings { get; } = ["accessToken", "secretKey"];

    // VK's own rule for the secret key: up to 50 Latin letters and digits. We ask for at least 8.
    [GeneratedRegex("^[A-Za-z0-9]{8,50}$")]
    private static partial Regex SecretPattern();

    [GeneratedRegex("^[A-Za-z0-9]{1,64}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^(?:club|public|-)?(\d{1,12})$")]
    private static partial Regex GroupPattern();

    public Task<IDictionary<string, string[]>> ValidateAsync(JsonObject settings, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var group = settings["groupId"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) => n.ToString(CultureInfo.InvariantCulture),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Trim(),
            _ => null,
        };
        if (group is not null && GroupPattern().Match(group) is { Success: true } m && long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) is > 0 and var id)
        {
            settings["groupId"] = id;
        }
        else
        {
            errors["settings.groupId"] = ["groupId must be the community's numeric id (e.g. 218375120, or club218375120)."];
        }
        if (Text(settings, "accessToken") is not { Length: >= 20 and <= 1024 } token || token.Any(char.IsWhiteSpace))
        {
            errors["settings.accessToken"] = ["accessToken must be a community access token with the messages permission (Manage → Work with API → Access tokens)."];
        }
        if (Text(settings, "secretKey") is not { } secret || !SecretPattern().IsMatch(secret))
        {
            errors["settings.secretKey"] = ["secretKey must be 8 to 50 Latin letters and digits, the same as the Callback API server's secret key."];
        }
        if (Text(settings, "confirmationCode") is not { } code || !CodePattern().IsMatch(code))
        {
            errors["settings.confirmationCode"] = ["confirmationCode must be the string VK shows under Callback API → \"String to be returned\" (letters and digits)."];
        }
        else
        {
            settings["confirmationCode"] = code;
        }
        // Checked as typed, not trimmed: it is stored as typed, and spaces around a URL are refused for every channel kind.
        if (settings["apiBaseUrl"] is { } api && !HttpUrl.IsValid(api.GetValueKind() == JsonValueKind.String ? api.GetValue<string>() : null))
        {
            errors["settings.apiBaseUrl"] = ["apiBaseUrl must be an absolute http(s) URL, such as https://api.vk.com/method."];
        }
        return Task.FromResult<IDictionary<string, string[]>>(errors);
    }

    public async Task OnSavedAsync(ChannelInfo channel, CancellationToken cancellationToken) =>
        await channels.RecordSetUpAsync(channel, await CheckAsync(channel, cancellationToken),
            error => logger.LogWarning("VK channel {ChannelId} set-up check failed: {Error}", channel.Id, error), cancellationToken);

    /// <returns>null when the token is a community token of the channel's community, else the problem in plain words.</returns>
    private async Task<string?> CheckAsync(ChannelInfo channel, CancellationToken ct)
    {
        var settings = VkSettings.From(channel);
        try
        {
            // Without group_id, groups.getById answers the community the token belongs to.
            var response = await api.CallAsync(settings, "groups.getById", new Dictionary<string, string>(), ct);
            // 5.194+ answers {groups: [...]}, older versions a bare array.
            var groups = response.ValueKind == JsonValueKind.Array ? response.EnumerateArray().ToList() : response.Arr("groups").ToList();
            if (groups.Count == 0 || groups[0].Long("id") is not { } id)
            {
                return "VK did not say which community the token belongs to: use a community access token, not a user token.";
            }
            if (id != settings.GroupId)
            {
                return $"The access token belongs to community {id.ToString(CultureInfo.InvariantCulture)}, not to groupId {settings.GroupId.ToString(CultureInfo.InvariantCulture)}.";
            }
            logger.LogInformation("VK channel {ChannelId} is community {GroupId} ({Name})", channel.Id, id, groups[0].Str("name"));
            return null;
        }
        catch (VkApiException ex)
        {
            return VkErrors.SetupProblem(ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // Which port answered how stays in the log: a status text must not map someone's internal network.
            logger.LogWarning(ex, "VK channel {ChannelId}: the VK API cannot be reached", channel.Id);
            return $"cannot connect to {settings.ApiBaseUrl.Host}";
        }
    }

    public static string CallbackUrl(string? publicBaseUrl, long channelId) =>
        string.IsNullOrWhiteSpace(publicBaseUrl) ? $"/webhooks/vk/{channelId}" : $"{publicBaseUrl.TrimEnd('/')}/webhooks/vk/{channelId}";

    public IDictionary<string, object?> PublicInfo(ChannelInfo channel) => new Dictionary<string, object?>
    {
        ["callbackUrl"] = CallbackUrl(options.Value.PublicBaseUrl, channel.Id),
        ["apiVersion"] = VkApi.Version,
    };

    private static string? Text(JsonObject settings, string name) =>
        settings[name] is { } node && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>().Trim() : null;
}
