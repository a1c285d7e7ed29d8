using System.Globalization;
using System.Text.Json.Nodes;
using ContactCenter.Core;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ContactCenter.Connectors.Telegram;

/// <summary>
/// Bot API `Update` -> <see cref="InboundMessage"/>. Private chats only. Message ids are `{chatId}:{messageId}`
/// (message ids are per chat); the contact's address is the Telegram user id.
/// </summary>
public static class TelegramInboundMapper
{
    public static TelegramInbound Map(long channelId, Update update, string raw)
    {
        if (update.Message is { } message)
        {
            return NotPrivate(message) is { } why ? new TelegramInbound.Ignored(why) : new TelegramInbound.NewMessage(ToInbound(channelId, message, raw));
        }
        if (update.EditedMessage is { } edited)
        {
            if (NotPrivate(edited) is { } why)
            {
                return new TelegramInbound.Ignored(why);
            }
            var original = ToInbound(channelId, edited, raw);
            return new TelegramInbound.Edit(new InboundEdit(channelId, original.ExternalId, original.Text,
                edited.EditDate is { } at ? AsUtc(at) : null, raw, original));
        }
        if (update.MyChatMember is { Chat.Type: ChatType.Private } member
            && member.NewChatMember.Status is ChatMemberStatus.Kicked or ChatMemberStatus.Member)
        {
            return new TelegramInbound.BotBlocked(member.From.Id.ToString(CultureInfo.InvariantCulture), member.NewChatMember.Status == ChatMemberStatus.Kicked);
        }
                if (update.ChannelPost is not null || update.EditedChannelPost is not null)
        {
            return new TelegramInbound.Ignored("a channel post");
        }
        return new TelegramInbound.Unhandled(new UnhandledInbound(channelId, $"update:{update.Id}", KindOf(update, raw), raw));
    }

    /// <summary>The update's kind as the Bot API names it (`callback_query`): the one field besides `update_id`.</summary>
    private static string KindOf(Update update, string raw)
    {
        try
        {
            if (JsonNode.Parse(raw) is JsonObject json && json.Select(p => p.Key).FirstOrDefault(k => k != "update_id") is { } key)
            {
                return key;
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return update.Type.ToString();
    }

    private static string? NotPrivate(Message message) => message.Chat.Type switch
    {
        ChatType.Private when message.From is { IsBot: false } => null,
        ChatType.Private => "a private message without a human sender",
        ChatType.Channel => "a channel post",
        _ => $"a message in a {message.Chat.Type.ToString().ToLowerInvariant()} chat",
    };

    private static InboundMessage ToInbound(long channelId, Message m, string raw)
    {
        var from = m.From!;
        var attachments = new List<InboundAttachment>();
        var metadata = new Dictionary<string, string>();
        var text = m.Text ?? m.Caption;
        string? phone = null;

        if (m.Photo is { Length: > 0 } photo)
        {
            var largest = photo.OrderByDescending(p => (long)p.Width * p.Height).First();
            attachments.Add(new InboundAttachment($"photo_{largest.FileUniqueId}.jpg", "image/jpeg", largest.FileSize, largest.FileId));
        }
        if (m.Animation is { } animation)
        {
            attachments.Add(new InboundAttachment(animation.FileName ?? $"animation_{animation.FileUniqueId}.mp4", animation.MimeType ?? "video/mp4", animation.FileSize, animation.FileId));
        }
        else if (m.Document is { } document)
        {
            // An animation also comes as a document (for old clients): take it once.
            attachments.Add(new InboundAttachment(document.FileName ?? $"document_{document.FileUniqueId}", document.MimeType ?? "application/octet-stream", document.FileSize, document.FileId));
        }
        if (m.Voice is { } voice)
        {
            attachments.Add(new InboundAttachment($"voice_{voice.FileUniqueId}.ogg", voice.MimeType ?? "audio/ogg", voice.FileSize, voice.FileId));
        }
        if (m.Audio is { } audio)
        {
            attachments.Add(new InboundAttachment(audio.FileName ?? $"{audio.Title ?? "audio_" + audio.FileUniqueId}.mp3", audio.MimeType ?? "audio/mpeg", audio.FileSize, audio.FileId));
        }
        if (m.Video is { } video)
        {
            attachments.Add(new InboundAttachment(video.FileName ?? $"video_{video.FileUniqueId}.mp4", video.MimeType ?? "video/mp4", video.FileSize, video.FileId));
        }
        if (m.VideoNote is { } note)
        {
            attachments.Add(new InboundAttachment($"video_note_{note.FileUniqueId}.mp4", "video/mp4", note.FileSize, note.FileId));
        }
        if (m.Sticker is { } sticker)
        {
            var (extension, type) = sticker.IsAnimated ? ("tgs", "application/x-tgsticker") : sticker.IsVideo ? ("webm", "video/webm") : ("webp", "image/webp");
            attachments.Add(new InboundAttachment($"sticker_{sticker.FileUniqueId}.{extension}", type, sticker.FileSize, sticker.FileId));
            text ??= sticker.Emoji;
        }
        if (m.Contact is { } contact)
        {
            var name = string.Join(' ', new[] { contact.FirstName, contact.LastName }.Where(s => !string.IsNullOrWhiteSpace(s)));
            var number = NormalisePhone(contact.PhoneNumber);
            text = $"📱 Contact: {name}, {number ?? contact.PhoneNumber}";
            metadata["contactPhone"] = number ?? contact.PhoneNumber;
            // Only the sender's own number (the "share my phone" button) says who the customer is.
            if (contact.UserId == from.Id)
            {
                phone = number;
            }
        }
        if (m.Venue is { } venue)
        {
            text = $"📍 {venue.Title}, {venue.Address}";
            metadata["latitude"] = venue.Location.Latitude.ToString(CultureInfo.InvariantCulture);
            metadata["longitude"] = venue.Location.Longitude.ToString(CultureInfo.InvariantCulture);
        }
        else if (m.Location is { } location)
        {
            var lat = location.Latitude.ToString("0.######", CultureInfo.InvariantCulture);
            var lon = location.Longitude.ToString("0.######", CultureInfo.InvariantCulture);
            text = $"📍 Location: {lat}, {lon} (https://maps.google.com/?q={lat},{lon})";
            metadata["latitude"] = lat;
            metadata["longitude"] = lon;
        }
        if (m.Poll is { } poll)
        {
            text = $"📊 Poll: {poll.Question}";
        }
        if (m.Dice is { } dice)
        {
            text = $"{dice.Emoji} {dice.Value}";
        }
        if (string.IsNullOrEmpty(text) && attachments.Count == 0)
        {
            // Something this service cannot show (a game, a story, a service message): kept, and said so.
            var kind = m.Type.ToString();
            text = $"[Unsupported Telegram message: {kind}]";
            metadata["unsupported"] = kind;
        }
        if (m.ForwardOrigin is { } origin)
        {
            // Forwarded from someone else: the screen says so and by whom, as it does for VK (the text stays the customer's).
            metadata["forwardedFrom"] = origin switch
            {
                MessageOriginUser u => string.Join(' ', new[] { u.SenderUser.FirstName, u.SenderUser.LastName }.Where(s => !string.IsNullOrWhiteSpace(s))),
                MessageOriginHiddenUser h => h.SenderUserName,
                MessageOriginChat c => c.SenderChat.Title ?? "",
                MessageOriginChannel ch => ch.Chat.Title ?? "",
                _ => "",
            };
        }
        if (m.MediaGroupId is { } album)
        {
            metadata["mediaGroupId"] = album;
        }
        if (from.Username is { } username)
        {
            metadata["username"] = username;
        }

        var displayName = string.Join(' ', new[] { from.FirstName, from.LastName }.Where(s => !string.IsNullOrWhiteSpace(s)));
        return new InboundMessage(
            channelId,
            ExternalId(m.Chat.Id, m.MessageId),
            ThreadKey: null,
            new SenderIdentity(from.Id.ToString(CultureInfo.InvariantCulture), displayName.Length == 0 ? from.Username : displayName, Phone: phone, Username: from.Username),
            text,
            Html: null,
            attachments,
            AsUtc(m.Date),
            m.ReplyToMessage is { } replied ? ExternalId(m.Chat.Id, replied.MessageId) : null,
            raw)
        {
            Source = StartPayload(m.Text),
            Metadata = metadata.Count == 0 ? null : metadata,
        };
    }

    public static string ExternalId(long chatId, int messageId) => $"{chatId.ToString(CultureInfo.InvariantCulture)}:{messageId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The message id part of an external id made by <see cref="ExternalId"/>.</summary>
    public static int? MessageIdOf(string? externalId) =>
        externalId is not null && externalId.LastIndexOf(':') is var i and >= 0
        && int.TryParse(externalId.AsSpan(i + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>`/start campaign_42` (a t.me/bot?start=campaign_42 deep link) -> `campaign_42`.</summary>
    public static string? StartPayload(string? text)
    {
        if (text is null || !text.StartsWith("/start", StringComparison.Ordinal))
        {
            return null;
        }
        var rest = text["/start".Length..];
        if (rest.Length == 0 || !char.IsWhiteSpace(rest[0]))
        {
            return null;
        }
        var payload = rest.Trim();
        return payload.Length is > 0 and <= 200 ? payload : null;
    }

    /// <summary>Telegram sends numbers with or without `+`; the contact's phone is E.164 (`+79161234567`).</summary>
    public static string? NormalisePhone(string? number)
    {
        var digits = new string((number ?? "").Where(char.IsAsciiDigit).ToArray());
        return digits.Length is >= 7 and <= 15 ? "+" + digits : null;
    }

    private static DateTimeOffset AsUtc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
