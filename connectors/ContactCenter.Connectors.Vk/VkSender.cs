using System.Globalization;
using ContactCenter.Core;

namespace ContactCenter.Connectors.Vk;

/// <summary>
/// Sends a manager's reply with messages.send: files are uploaded first (images through photos.getMessagesUploadServer
/// and photos.saveMessagesPhoto, anything else through docs.getMessagesUploadServer and docs.save) and go with the last
/// piece of text; a text over VK's limit goes as several messages. Every messages.send carries a random_id derived from
/// the message (<see cref="VkRandomId"/>), so a retry after a timeout is not delivered twice; every upload and message
/// is recorded (<see cref="IOutboundProgress"/>) so a retry after a partial success does only the rest. VK's errors
/// (HTTP 200 with an error object) are retried (6, 9, 10, 1) or fail with the reason in plain words (901, 902, 7, 15...).
/// </summary>
public sealed class VkSender(VkApi api, VkUploads uploads, IOutboundProgress progress, IConversationNotes notes) : IChannelSender
{
    /// <summary>VK's limit for one message's text (in characters).</summary>
    public const int MaxTextLength = 4096;

    /// <summary>At most this many messages for one reply (the reply's text is at most 20 000 characters).</summary>
    public const int MaxParts = 8;

    public string Kind => ChannelKinds.Vk;

    public bool SupportsAttachments => true;

    public async Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        if (!long.TryParse(message.Recipient.Address, NumberStyles.None, CultureInfo.InvariantCulture, out var peer) || peer is <= 0 or >= VkInboundMapper.ChatPeerStart)
        {
            return new SendOutcome.Failed("The contact has no VK dialog to write to.");
        }
        var settings = VkSettings.From(message.Channel);
        var texts = Split(message.Text);
        if (texts.Count == 0 && message.Attachments.Count == 0)
        {
            return new SendOutcome.Failed("The reply has neither text nor files.");
        }
        if (texts.Count == 0)
        {
            texts.Add("");
        }
        if (texts.Count > MaxParts)
        {
            return new SendOutcome.Failed($"The reply is too long for VK ({MaxParts} messages of {MaxTextLength} characters at most).");
        }
        var done = await progress.SentPartsAsync(message.MessageId, cancellationToken);
        try
        {
            var attachments = new List<string>();
            foreach (var file in message.Attachments)
            {
                var key = "upload:" + file.Id.ToString(CultureInfo.InvariantCulture);
                if (!done.TryGetValue(key, out var reference))
                {
                    reference = await uploads.UploadAsync(settings, peer, file, cancellationToken);
                    await progress.RecordPartAsync(message.MessageId, key, reference, cancellationToken);
                }
                attachments.Add(reference);
            }
            string? externalId = null;
            for (var i = 0; i < texts.Count; i++)
            {
                var key = "msg:" + i.ToString(CultureInfo.InvariantCulture);
                if (!done.TryGetValue(key, out var sentId))
                {
                    var args = new Dictionary<string, string>
                    {
                        ["peer_id"] = VkApi.Text(peer),
                        ["random_id"] = VkApi.Text(VkRandomId.For(message.Channel.Id, message.MessageId, message.CreatedAt, i)),
                        ["message"] = texts[i],
                        ["dont_parse_links"] = "0",
                    };
                    if (i == texts.Count - 1 && attachments.Count > 0)
                    {
                        args["attachment"] = string.Join(',', attachments);
                    }
                    if (i == 0 && VkInboundMapper.MessageIdOf(message.ReplyToExternalId) is { } replyTo)
                    {
                        args["reply_to"] = VkApi.Text(replyTo);
                    }
                    var response = await api.CallAsync(settings, "messages.send", args, cancellationToken);
                    if (!response.TryGetInt64(out var vkId) || vkId <= 0)
                    {
                        return new SendOutcome.Retry("VK answered messages.send without a message id.");
                    }
                    sentId = VkInboundMapper.ExternalId(peer, vkId, 0);
                    await progress.RecordPartAsync(message.MessageId, key, sentId, cancellationToken);
                }
                externalId ??= sentId;
            }
            return new SendOutcome.Sent(externalId);
        }
        catch (VkApiException ex)
        {
            if (VkErrors.Notice(ex) is var (noticeKey, noticeText))
            {
                await notes.AddOnceAsync(message.ConversationId, noticeKey, noticeText, cancellationToken);
            }
            return VkErrors.Classify(ex);
        }
        catch (VkUploads.FileRefusedException ex)
        {
            return new SendOutcome.Failed(ex.Message);
        }
        catch (HttpRequestException ex)
        {
            return new SendOutcome.Retry($"VK could not be reached: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The random_id makes the retry safe even if VK did deliver this one.
            return new SendOutcome.Retry("VK did not answer in time.");
        }
    }

    /// <summary>The text in pieces of at most <see cref="MaxTextLength"/> characters, cut at a line or word break when there is one.</summary>
    internal static List<string> Split(string text)
    {
        var pieces = new List<string>();
        var rest = text.Trim();
        while (rest.Length > 0)
        {
            if (rest.Length <= MaxTextLength)
            {
                pieces.Add(rest);
                break;
            }
            var cut = rest.LastIndexOf('\n', MaxTextLength - 1);
            if (cut < MaxTextLength / 2)
            {
                cut = rest.LastIndexOf(' ', MaxTextLength - 1);
            }
            if (cut < MaxTextLength / 2)
            {
                cut = char.IsHighSurrogate(rest[MaxTextLength - 1]) ? MaxTextLength - 1 : MaxTextLength;
            }
            pieces.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }
        return pieces;
    }
}
