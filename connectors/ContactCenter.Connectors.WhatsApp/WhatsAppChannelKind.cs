using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Connectors.WhatsApp;

/// <summary>
/// `whatsapp` channels: `{phoneNumberId, accessToken, appSecret, verifyToken, businessAccountId?, apiBaseUrl?}`. After a
/// save the token is tried on the phone number (`GET /{phoneNumberId}`); a refusal becomes the channel's status error
/// (the channel is kept, so an admin can fix the token), never an exception.
/// </summary>
public sealed class WhatsAppChannelKind(WhatsAppGraph graph, IChannelDirectory channels, IOptions<WhatsAppOptions> options, ILogger<WhatsAppChannelKind> logger)
    : IChannelKindHandler
{
    public string Kind => ChannelKinds.WhatsApp;

    public IReadOnlyCollection<string> SecretSettings { get; } = ["accessToken", "appSecret", "verifyToken"];

    public Task<IDictionary<string, string[]>> ValidateAsync(JsonObject settings, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (Digits(settings, "phoneNumberId") is not { } id)
        {
            errors["settings.phoneNumberId"] = ["phoneNumberId must be the Phone number ID from the Meta app's WhatsApp > API Setup page (digits)."];
        }
        else
        {
            settings["phoneNumberId"] = id;
        }
        Secret(settings, "accessToken", 1024, "accessToken must be a WhatsApp Cloud API access token (a system user's permanent token).", errors);
        Secret(settings, "appSecret", 256, "appSecret must be the Meta app's App secret (App settings > Basic).", errors);
        Secret(settings, "verifyToken", 256, "verifyToken must be 1 to 256 characters without spaces: the same value goes into the Meta app's webhook form.", errors);
        if (settings["businessAccountId"] is { } waba && waba.GetValueKind() != JsonValueKind.Null)
        {
            if (Digits(settings, "businessAccountId") is { } accountId)
            {
                settings["businessAccountId"] = accountId;
            }
            else
            {
                errors["settings.businessAccountId"] = ["businessAccountId must be the WhatsApp Business Account ID (digits)."];
            }
        }
        if (settings["apiBaseUrl"] is { } api && (Text(settings, "apiBaseUrl") is not { } url
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            errors["settings.apiBaseUrl"] = [$"apiBaseUrl must be an absolute http(s) URL such as {WhatsAppSettings.DefaultApiBaseUrl}."];
        }
        return Task.FromResult<IDictionary<string, string[]>>(errors);
    }

    public async Task OnSavedAsync(ChannelInfo channel, CancellationToken cancellationToken)
    {
        var settings = WhatsAppSettings.From(channel);
        var answer = await graph.GetAsync(settings, $"{Uri.EscapeDataString(settings.PhoneNumberId)}?fields=display_phone_number,verified_name", cancellationToken);
        string? problem = null;
        if (answer.Network is { } network)
        {
            problem = network;
        }
        else if (!answer.Ok)
        {
            var code = answer.Error?.Code ?? 0;
            var tokenRejected = answer.Status == 401 || code == 190 || (code == 0 && answer.Status == 403);
            problem = tokenRejected
                ? $"Meta rejected the access token: {WhatsAppErrors.Describe(code is 0 ? 190 : code, answer.Error?.Message)}."
                : code == 100 || answer.Status == 404
                    ? $"The phone number ID {settings.PhoneNumberId} is not one this token can use ({WhatsAppErrors.Describe(code, answer.Error?.Message)})."
                    : $"Meta refused the check of the phone number ({(code > 0 ? WhatsAppErrors.Describe(code, answer.Error?.Message) : answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))}).";
        }
        await channels.RecordSetUpAsync(channel, problem,
            p => logger.LogWarning("WhatsApp channel {ChannelId} set-up failed: {Problem}", channel.Id, p), cancellationToken);
    }

    public IDictionary<string, object?> PublicInfo(ChannelInfo channel) => new Dictionary<string, object?>
    {
        ["webhookUrl"] = WhatsAppSettings.WebhookUrl(options.Value.PublicBaseUrl, channel.Id),
    };

    private static string? Text(JsonObject settings, string name) =>
        settings[name] is { } node && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>().Trim() : null;

    private static string? Digits(JsonObject settings, string name)
    {
        if (settings[name] is { } node && node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<long>(out var n) && n > 0)
        {
            return n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return Text(settings, name) is { Length: > 0 and <= 30 } text && text.All(char.IsAsciiDigit) ? text : null;
    }

    private static void Secret(JsonObject settings, string name, int max, string error, Dictionary<string, string[]> errors)
    {
        if (Text(settings, name) is not { Length: > 0 } value || value.Length > max || value.Any(char.IsWhiteSpace) || value.Any(char.IsControl))
        {
            errors["settings." + name] = [error];
        }
        else
        {
            settings[name] = value;
        }
    }
}
