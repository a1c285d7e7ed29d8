using ContactCenter.Core;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.ReplyMarkups;

namespace ContactCenter.Connectors.Telegram;

/// <summary>
/// Sends a manager's reply: text with sendMessage, files with sendPhoto (JPEG, PNG, WebP under 10 MB) or sendDocument
/// (anything else), the text as the first file's caption when it fits; as a Telegram reply where the manager replied
/// to a message. Each part sent is recorded (<see cref="IOutboundProgress"/>), so a retry after a partial success
/// sends only the rest. 429 -> retry after Telegram's retry_after; 5xx and network errors -> retry with backoff;
/// 403 (blocked, deactivated) and other refusals -> failed with the reason in plain words; a blocked bot or a deleted
/// account also puts a system note in the conversation (once until the customer writes again).
/// </summary>
public sealed class TelegramChannelSender(TelegramClients clients, IAttachmentContent files, IOutboundProgress progress, IConversationNotes notes) : IChannelSender
{
    /// <summary>Telegram's limit for one message's text.</summary>
    public const int MaxTextLength = 4096;

    /// <summary>Telegram's limit for a photo's or document's caption.</summary>
    public const int MaxCaptionLength = 1024;

    /// <summary>Telegram's limit for a file sent with sendPhoto; bigger images go as documents.</summary>
    public const long MaxPhotoBytes = 10 * 1024 * 1024;

    /// <summary>`metadata.notice` of the conversation note that says the customer blocked the bot.</summary>
    public const string BlockedNotice = "telegram.blocked";

    public const string BlockedText = "The customer blocked the bot: replies cannot be delivered until they unblock it and write again.";

    private static readonly HashSet<string> PhotoTypes = new(StringComparer.OrdinalIgnoreCase) { "image/jpeg", "image/png", "image/webp" };

    public string Kind => ChannelKinds.Telegram;

    public bool SupportsAttachments => true;

    /// <summary>One Telegram message of a reply: a piece of text, or a file with an optional caption.</summary>
    /// <param name="Name">Stable across runs of one send (`text:0`, `file:42`): what <see cref="IOutboundProgress"/> records.</param>
    internal sealed record Part(string Name, string? Text, OutboundAttachment? File);

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
        var parts = Plan(message.Text, message.Attachments);
        if (parts.Count == 0)
        {
            return new SendOutcome.Failed("The reply has neither text nor files.");
        }
        var reply = TelegramInboundMapper.MessageIdOf(message.ReplyToExternalId) is { } replyTo
            ? new ReplyParameters { MessageId = replyTo, AllowSendingWithoutReply = true }
            : null;
        var done = await progress.SentPartsAsync(message.MessageId, cancellationToken);
        Part? current = null;
        try
        {
            // The first part's Telegram id is the message's external id; the others stay in the message's metadata.
            string? externalId = null;
            foreach (var part in parts)
            {
                current = part;
                if (!done.TryGetValue(part.Name, out var partId))
                {
                    var sent = await SendPartAsync(client, chatId, part, part == parts[0] ? reply : null, part == parts[^1] ? CsatKeyboard(message.Metadata) : null, cancellationToken);
                    partId = TelegramInboundMapper.ExternalId(sent.Chat.Id, sent.MessageId);
                    await progress.RecordPartAsync(message.MessageId, part.Name, partId, cancellationToken);
                }
                externalId ??= partId;
            }
            return new SendOutcome.Sent(externalId);
        }
        catch (ApiRequestException ex)
        {
            if (Notice(ex) is var (key, text))
            {
                await notes.AddOnceAsync(message.ConversationId, key, text, cancellationToken);
            }
            var outcome = current?.File is { } file
                && (ex.ErrorCode == 413 || ex.ErrorCode == 400 && !ex.Message.Contains("chat not found", StringComparison.OrdinalIgnoreCase))
                ? new SendOutcome.Failed($"Telegram refused the file \"{file.FileName}\": {ex.Message}")
                : Classify(ex);
            return outcome is SendOutcome.Failed failed && current != parts[0]
                ? new SendOutcome.Failed($"{failed.Reason} (the parts of the reply before it were delivered)")
                : outcome;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException && current?.File is { } file)
        {
            return new SendOutcome.Failed($"The file \"{file.FileName}\" is no longer in storage.");
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
            (BlockedNotice, BlockedText),
        403 when ex.Message.Contains("deactivated", StringComparison.OrdinalIgnoreCase) =>
            ("telegram.deactivated", "The customer's Telegram account is deleted: replies cannot be delivered."),
        _ => null,
    };

    /// <summary>
    /// The Telegram messages a reply becomes, in order: the text (split at <see cref="MaxTextLength"/>) unless it fits as
    /// the first file's caption, then each file.
    /// </summary>
    internal static List<Part> Plan(string text, IReadOnlyList<OutboundAttachment> attachments)
    {
        var hasText = !string.IsNullOrWhiteSpace(text);
        var captioned = hasText && attachments.Count > 0 && text.Length <= MaxCaptionLength;
        var parts = new List<Part>();
        if (hasText && !captioned)
        {
            parts.AddRange(Split(text).Select((piece, i) => new Part($"text:{i}", piece, null)));
        }
        parts.AddRange(attachments.Select((file, i) => new Part($"file:{file.Id}", i == 0 && captioned ? text : null, file)));
        return parts;
    }

    internal static bool IsPhoto(OutboundAttachment file) => PhotoTypes.Contains(file.ContentType) && file.Size is > 0 and <= MaxPhotoBytes;

    /// <summary>`csat:{surveyId}:{rating}` callback data; Telegram allows 64 bytes, this is at most ~30.</summary>
    public const string CsatCallbackPrefix = "csat:";

    /// <summary>A satisfaction survey (the host marks it `csatSurveyId`) goes with five buttons, 1 to 5.</summary>
    internal static InlineKeyboardMarkup? CsatKeyboard(IReadOnlyDictionary<string, string>? metadata) =>
        metadata?.GetValueOrDefault("csatSurveyId") is { } surveyId && long.TryParse(surveyId, out var id)
            ? new InlineKeyboardMarkup(Enumerable.Range(1, 5).Select(r => InlineKeyboardButton.WithCallbackData(
                new string('⭐', 1) + r.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{CsatCallbackPrefix}{id}:{r}")))
            : null;

    private async Task<Message> SendPartAsync(TelegramBotClient client, long chatId, Part part, ReplyParameters? reply, InlineKeyboardMarkup? keyboard, CancellationToken ct)
    {
        if (part.File is not { } file)
        {
            return await client.SendMessage(chatId, part.Text!, replyParameters: reply, replyMarkup: keyboard, cancellationToken: ct);
        }
        if (IsPhoto(file))
        {
            try
            {
                await using var photo = files.OpenRead(file);
                return await client.SendPhoto(chatId, InputFile.FromStream(photo, file.FileName), caption: part.Text, replyParameters: reply, cancellationToken: ct);
            }
            catch (ApiRequestException ex) when (ex.ErrorCode == 400
                && (ex.Message.Contains("PHOTO", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("IMAGE", StringComparison.OrdinalIgnoreCase)))
            {
                // Telegram refuses some images as photos (huge or oddly proportioned, unreadable): they still go, as a file.
            }
        }
        await using var content = files.OpenRead(file);
        return await client.SendDocument(chatId, InputFile.FromStream(content, file.FileName), caption: part.Text, replyParameters: reply, cancellationToken: ct);
    }

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
