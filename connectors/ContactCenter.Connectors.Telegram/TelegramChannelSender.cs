using ContactCenter.Core;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace ContactCenter.Connectors.Telegram;

/// <summary>
/// Sends a manager's reply with sendMessage (as a reply where the manager replied to a customer's message).
/// 429 -> retry after Telegram's retry_after; 5xx and network errors -> retry with backoff; 403 (blocked, deactivated)
/// and other refusals -> failed with the reason in plain words; a blocked bot or a deleted account also puts a system note
/// in the conversation (once until the customer writes again).
/// </summary>
public sealed class TelegramChannelSender(TelegramClients clients, IConversationNotes notes) : IChannelSender
{
    /// <summary>Telegram's limit for one message's text.</summary>
    public const int MaxTextLength = 4096;

    /// <summary>`metadata.notice` of the conversation note that says the customer blocked the bot.</summary>
    public const string BlockedNotice = "telegram.blocked";

    public string Kind => ChannelKinds.Telegram;

    public async Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        if (!long.TryParse(message.Recipient.Address, out var chatId))
        {
            return new SendOutcome.Failed("The contact has no Telegram chat to write to.");
        }
        TelegramBotClient client;
        try
        {
            client = clients.For(message.Channel);
        }
        catch (ArgumentException)
        {
            return new SendOutcome.Failed("The channel's bot token is not valid.");
        }
        var reply = TelegramInboundMapper.MessageIdOf(message.ReplyToExternalId) is { } replyTo
            ? new ReplyParameters { MessageId = replyTo, AllowSendingWithoutReply = true }
            : null;
        try
        {
            // Longer texts go as several messages; the first one's id is the message's external id.
            string? externalId = null;
            foreach (var part in Split(message.Text))
            {
                var sent = await client.SendMessage(chatId, part, replyParameters: externalId is null ? reply : null, cancellationToken: cancellationToken);
                externalId ??= TelegramInboundMapper.ExternalId(sent.Chat.Id, sent.MessageId);
            }
            return new SendOutcome.Sent(externalId);
        }
        catch (ApiRequestException ex)
        {
            if (Notice(ex) is var (key, text))
            {
                await notes.AddOnceAsync(message.ConversationId, key, text, cancellationToken);
            }
            return Classify(ex);
        }
        catch (RequestException ex) when ((int?)ex.HttpStatusCode is null or >= 500 or 429)
        {
            return new SendOutcome.Retry($"Telegram answered badly: {ex.Message}");
        }
        catch (RequestException ex)
        {
            return new SendOutcome.Failed($"Telegram refused the message ({(int)ex.HttpStatusCode!}).");
        }
        catch (HttpRequestException ex)
        {
            return new SendOutcome.Retry($"Telegram could not be reached: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome.Retry("Telegram did not answer in time.");
        }
    }

    public static SendOutcome Classify(ApiRequestException ex)
    {
        var description = ex.Message;
        return ex.ErrorCode switch
        {
            429 => new SendOutcome.Retry("Telegram asked to slow down (429).",
                ex.Parameters?.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : null),
            >= 500 => new SendOutcome.Retry($"Telegram had a server error ({ex.ErrorCode}): {description}"),
            403 when description.Contains("blocked", StringComparison.OrdinalIgnoreCase) =>
                new SendOutcome.Failed("The customer blocked the bot, so Telegram does not deliver messages to them."),
            403 when description.Contains("deactivated", StringComparison.OrdinalIgnoreCase) =>
                new SendOutcome.Failed("The customer's Telegram account is deleted."),
            403 => new SendOutcome.Failed($"Telegram does not let the bot write to this customer: {description}"),
            401 or 404 => new SendOutcome.Failed("Telegram rejected the bot token; check the channel's set-up."),
            400 when description.Contains("chat not found", StringComparison.OrdinalIgnoreCase) =>
                new SendOutcome.Failed("Telegram does not know this chat (the customer never wrote to the bot)."),
            _ => new SendOutcome.Failed($"Telegram refused the message: {description}"),
        };
    }

    /// <summary>The conversation's notice for a refusal that stops every later reply too, or null.</summary>
    public static (string Key, string Text)? Notice(ApiRequestException ex) => ex.ErrorCode switch
    {
        403 when ex.Message.Contains("blocked", StringComparison.OrdinalIgnoreCase) =>
            (BlockedNotice, "The customer blocked the bot: replies cannot be delivered until they unblock it and write again."),
        403 when ex.Message.Contains("deactivated", StringComparison.OrdinalIgnoreCase) =>
            ("telegram.deactivated", "The customer's Telegram account is deleted: replies cannot be delivered."),
        _ => null,
    };

    private static IEnumerable<string> Split(string text)
    {
        if (text.Length <= MaxTextLength)
        {
            yield return text;
            yield break;
        }
        for (var start = 0; start < text.Length;)
        {
            var length = Math.Min(MaxTextLength, text.Length - start);
            // Do not cut a surrogate pair (an emoji) in half.
            if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1]))
            {
                length--;
            }
            yield return text.Substring(start, length);
            start += length;
        }
    }
}
