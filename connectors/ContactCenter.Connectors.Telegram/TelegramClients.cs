using ContactCenter.Core;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace ContactCenter.Connectors.Telegram;

/// <summary>Makes a Bot API client for a channel: its token, and its `apiBaseUrl` (a stand-in API in tests, a local Bot API server).</summary>
public sealed class TelegramClients(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "telegram";

    /// <summary>The updates a bot asks for, by webhook or polling.</summary>
    public static readonly UpdateType[] AllowedUpdates =
        [UpdateType.Message, UpdateType.EditedMessage, UpdateType.CallbackQuery, UpdateType.MyChatMember];

    /// <exception cref="ArgumentException">The channel has no token, or it is not of the form 123456:ABC...</exception>
    public TelegramBotClient For(ChannelInfo channel)
    {
        var token = channel.Setting("botToken");
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new ArgumentException("The channel has no bot token.");
        }
        var baseUrl = channel.Setting("apiBaseUrl");
        var options = new TelegramBotClientOptions(token, string.IsNullOrWhiteSpace(baseUrl) ? null : baseUrl)
        {
            // The outbox does the retrying (it honours retry_after); the library must not wait inside a send.
            RetryCount = 0,
            RetryThreshold = 0,
        };
        return new TelegramBotClient(options, httpClients.CreateClient(HttpClientName));
    }
}
