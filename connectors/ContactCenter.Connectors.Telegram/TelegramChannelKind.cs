using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace ContactCenter.Connectors.Telegram;

/// <summary>
/// `telegram` channels: `{botToken, webhookSecret, apiBaseUrl?}`. On save the token is checked with getMe; with a
/// public base URL the webhook is registered (secret token, allowed updates), otherwise any webhook is removed so that
/// the poller can use getUpdates. Problems become the channel's status error, never an exception.
/// </summary>
public sealed partial class TelegramChannelKind(
    TelegramClients clients, IChannelDirectory channels, IOptions<TelegramOptions> options, ILogger<TelegramChannelKind> logger) : IChannelKindHandler
{
    public string Kind => ChannelKinds.Telegram;

    public IReadOnlyCollection<string> SecretSettings { get; } = ["botToken", "webhookSecret"];

    [GeneratedRegex(@"^\d{3,20}:[A-Za-z0-9_-]{20,100}$")]
    private static partial Regex TokenPattern();

    // Telegram's rule for secret_token: 1-256 of A-Z, a-z, 0-9, _ and -. We ask for at least 16.
    [GeneratedRegex("^[A-Za-z0-9_-]{16,256}$")]
    private static partial Regex SecretPattern();

    public Task<IDictionary<string, string[]>> ValidateAsync(JsonObject settings, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (StringOf(settings["botToken"]) is not { } token || !TokenPattern().IsMatch(token))
        {
            errors["settings.botToken"] = ["botToken must be the token @BotFather gave, like 123456789:AAH...."];
        }
        if (StringOf(settings["webhookSecret"]) is not { } secret || !SecretPattern().IsMatch(secret))
        {
            errors["settings.webhookSecret"] = ["webhookSecret must be 16 to 256 characters of A-Z, a-z, 0-9, _ and -."];
        }
        if (settings["apiBaseUrl"] is { } api && !HttpUrl.IsValid(StringOf(api)))
        {
            errors["settings.apiBaseUrl"] = ["apiBaseUrl must be an absolute http(s) URL, such as https://api.telegram.org."];
        }
        return Task.FromResult<IDictionary<string, string[]>>(errors);
    }

    public async Task OnSavedAsync(ChannelInfo channel, CancellationToken cancellationToken) =>
        await channels.RecordSetUpAsync(channel, await ConnectAsync(channel, cancellationToken),
            error => logger.LogWarning("Telegram channel {ChannelId} set-up failed: {Error}", channel.Id, error), cancellationToken);

    /// <returns>null when the bot is ready, else the problem in plain words.</returns>
    private async Task<string?> ConnectAsync(ChannelInfo channel, CancellationToken ct)
    {
        TelegramBotClient client;
        try
        {
            client = clients.For(channel);
        }
        catch (ArgumentException)
        {
            return "The bot token is not in the form 123456789:AAH... that @BotFather gives.";
        }
        try
        {
            var me = await client.GetMe(ct);
            logger.LogInformation("Telegram channel {ChannelId} is bot @{Username}", channel.Id, me.Username);
            var o = options.Value;
            if (o.UsesWebhooks)
            {
                await client.SetWebhook(WebhookUrl(o.PublicBaseUrl!, channel.Id), secretToken: channel.Setting("webhookSecret"),
                    allowedUpdates: TelegramClients.AllowedUpdates, cancellationToken: ct);
            }
            else if (o.PollingEnabled)
            {
                // getUpdates answers 409 while a webhook is set: remove it, keeping the updates that wait.
                await client.DeleteWebhook(dropPendingUpdates: false, cancellationToken: ct);
            }
            return null;
        }
        catch (ApiRequestException ex) when (ex.ErrorCode is 401 or 404)
        {
            return "Telegram rejected the bot token (Unauthorized): check it with @BotFather.";
        }
        catch (ApiRequestException ex)
        {
            return $"Telegram refused the set-up: {ex.Message}";
        }
        catch (Exception ex) when (ex is RequestException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // Which port answered how stays in the log: a status text must not map someone's internal network.
            logger.LogWarning(ex, "Telegram channel {ChannelId}: the Bot API cannot be reached", channel.Id);
            return $"cannot connect to {BotApiHost(channel)}";
        }
    }

    private static string BotApiHost(ChannelInfo channel) =>
        Uri.TryCreate(channel.Setting("apiBaseUrl"), UriKind.Absolute, out var uri) ? uri.Host : "api.telegram.org";

    public static string WebhookUrl(string publicBaseUrl, long channelId) => $"{publicBaseUrl.TrimEnd('/')}/webhooks/telegram/{channelId}";

    public IDictionary<string, object?> PublicInfo(ChannelInfo channel)
    {
        var o = options.Value;
        return new Dictionary<string, object?>
        {
            ["webhookUrl"] = o.UsesWebhooks ? WebhookUrl(o.PublicBaseUrl!, channel.Id) : $"/webhooks/telegram/{channel.Id}",
            ["mode"] = o.UsesWebhooks ? "webhook" : o.PollingEnabled ? "polling" : "webhook",
        };
    }

    private static string? StringOf(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
}
