using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ContactCenter.Core;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Connectors.WhatsApp;

/// <summary>
/// A manager's reply through the Cloud API (`POST /{phoneNumberId}/messages`): an approved template when the message
/// carries one (`whatsapp.template` metadata), else the text (split at 4096) and each file (uploaded to `/media`, then
/// sent by id; the text rides as the first file's caption when it fits). Each part sent is recorded, so a retry after a
/// partial success sends only the rest. 429, 5xx and throttling codes are retried (after Retry-After); other refusals
/// fail with a readable reason; an opted-out customer is never messaged.
/// </summary>
public sealed class WhatsAppSender(WhatsAppGraph graph, IAttachmentContent files, IOutboundProgress progress, IWhatsAppOptOuts optOuts,
    ILogger<WhatsAppSender> logger) : IChannelSender
{
    public const int MaxTextLength = 4096;

    public const int MaxCaptionLength = 1024;

    public string Kind => ChannelKinds.WhatsApp;

    public bool SupportsAttachments => true;

    internal sealed record Part(string Name, string? Text, OutboundAttachment? File, WhatsAppTemplate.Chosen? Template = null);

    public async Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var to = message.Recipient.Address;
        // The reply guard refuses replies to opted-out customers; this catches a reply queued just before the STOP came in.
        if (await optOuts.IsOptedOutAsync(message.Channel.Id, to, cancellationToken))
        {
            return new SendOutcome.Failed("Not sent: the customer opted out (wrote STOP); they must write START to receive messages again.");
        }
        var settings = WhatsAppSettings.From(message.Channel);
        var template = WhatsAppTemplate.Chosen.FromJson(message.Metadata?.GetValueOrDefault(WhatsAppTemplate.MetadataKey));
        var parts = template is not null ? [new Part("template", null, null, template)] : Plan(message.Text, message.Attachments);
        if (parts.Count == 0)
        {
            return new SendOutcome.Failed("The reply has neither text nor files.");
        }
        var done = await progress.SentPartsAsync(message.MessageId, cancellationToken);
        string? externalId = null;
        foreach (var part in parts)
        {
            if (!done.TryGetValue(part.Name, out var partId))
            {
                var (sent, outcome) = await SendPartAsync(settings, to, part, part == parts[0] ? message.ReplyToExternalId : null, cancellationToken);
                if (outcome is not null)
                {
                    return outcome is SendOutcome.Failed failed && part != parts[0]
                        ? new SendOutcome.Failed($"{failed.Reason} (the parts of the reply before it were delivered)")
                        : outcome;
                }
                partId = sent!;
                await progress.RecordPartAsync(message.MessageId, part.Name, partId, cancellationToken);
            }
            externalId ??= partId;
        }
        return new SendOutcome.Sent(externalId);
    }

    /// <returns>The provider's message id, or the outcome that stops the send.</returns>
    private async Task<(string? Id, SendOutcome? Outcome)> SendPartAsync(WhatsAppSettings settings, string to, Part part, string? replyTo, CancellationToken ct)
    {
        var body = new JsonObject { ["messaging_product"] = "whatsapp", ["recipient_type"] = "individual", ["to"] = to };
        if (replyTo is not null && part.Template is null)
        {
            body["context"] = new JsonObject { ["message_id"] = replyTo };
        }
        if (part.Template is { } template)
        {
            body["type"] = "template";
            body["template"] = template.ToGraph();
        }
        else if (part.File is { } file)
        {
            var uploaded = await UploadAsync(settings, file, ct);
            if (uploaded.Outcome is not null)
            {
                return (null, uploaded.Outcome);
            }
            var type = MediaType(file.ContentType);
            var media = new JsonObject { ["id"] = uploaded.Id };
            if (part.Text is { Length: > 0 } caption && type != "audio")
            {
                media["caption"] = caption;
            }
            if (type == "document")
            {
                media["filename"] = file.FileName;
            }
            body["type"] = type;
            body[type] = media;
        }
        else
        {
            body["type"] = "text";
            body["text"] = new JsonObject { ["preview_url"] = false, ["body"] = part.Text };
        }
        var answer = await graph.PostJsonAsync(settings, $"{Uri.EscapeDataString(settings.PhoneNumberId)}/messages", body, ct);
        if (!answer.Ok)
        {
            return (null, Classify(answer));
        }
        var id = answer.Body?["messages"] is JsonArray { Count: > 0 } ids && ids[0]?["id"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        return id is null ? (null, new SendOutcome.Retry("WhatsApp accepted the message but gave no id.")) : (id, null);
    }

    private async Task<(string? Id, SendOutcome? Outcome)> UploadAsync(WhatsAppSettings settings, OutboundAttachment file, CancellationToken ct)
    {
        await using var content = files.OpenRead(file);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("whatsapp"), "messaging_product" },
            { new StringContent(file.ContentType), "type" },
        };
        var part = new StreamContent(content);
        part.Headers.ContentType = MediaTypeHeaderValue.TryParse(file.ContentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        form.Add(part, "file", file.FileName);
        var answer = await graph.PostFormAsync(settings, $"{Uri.EscapeDataString(settings.PhoneNumberId)}/media", form, ct);
        if (!answer.Ok)
        {
            return (null, Classify(answer) is SendOutcome.Failed f ? new SendOutcome.Failed($"The file \"{file.FileName}\" was refused: {f.Reason}") : Classify(answer));
        }
        return answer.Body?["id"] is JsonValue v && v.TryGetValue<string>(out var id) ? (id, null) : (null, new SendOutcome.Retry("WhatsApp gave no id for the uploaded file."));
    }

    internal SendOutcome Classify(WhatsAppGraph.Answer answer)
    {
        if (answer.Network is { } network)
        {
            return answer.Refused ? new SendOutcome.Failed($"Not sent: {network}: the address is not allowed.") : new SendOutcome.Retry($"WhatsApp could not be reached: {network}");
        }
        var code = answer.Error?.Code ?? 0;
        var status = answer.Status.ToString(CultureInfo.InvariantCulture);
        if (answer.Status is 429 or >= 500 || WhatsAppErrors.IsTransient(code))
        {
            return new SendOutcome.Retry($"WhatsApp answered {status}{(code > 0 ? ": " + WhatsAppErrors.Describe(code, answer.Error?.Message) : "")}", answer.RetryAfter);
        }
        logger.LogWarning("WhatsApp refused a message: {Status} {Code} {Error}", answer.Status, code, answer.Error?.Message);
        if (code == 0)
        {
            return new SendOutcome.Failed($"Not sent: WhatsApp answered {status}.");
        }
        var reason = WhatsAppErrors.Describe(code, answer.Error?.Message);
        return new SendOutcome.Failed(answer.Error?.Details is { Length: > 0 } details && !reason.Contains(details, StringComparison.Ordinal)
            ? $"Not sent: {reason}. {details}" : $"Not sent: {reason}.");
    }

    /// <summary>The Cloud API's message type for a file: image, video, audio, or (anything else) document.</summary>
    internal static string MediaType(string contentType) => contentType.Split(';')[0].Trim().ToLowerInvariant() switch
    {
        "image/jpeg" or "image/png" => "image",
        "video/mp4" or "video/3gpp" => "video",
        "audio/aac" or "audio/mp4" or "audio/mpeg" or "audio/amr" or "audio/ogg" => "audio",
        _ => "document",
    };

    internal static List<Part> Plan(string text, IReadOnlyList<OutboundAttachment> attachments)
    {
        var hasText = !string.IsNullOrWhiteSpace(text);
        var captioned = hasText && attachments.Count > 0 && text.Length <= MaxCaptionLength && MediaType(attachments[0].ContentType) != "audio";
        var parts = new List<Part>();
        if (hasText && !captioned)
        {
            var i = 0;
            for (var start = 0; start < text.Length; i++)
            {
                var length = Math.Min(MaxTextLength, text.Length - start);
                if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1]))
                {
                    length--; // an emoji is never cut in half
                }
                parts.Add(new Part($"text:{i}", text.Substring(start, length), null));
                start += length;
            }
        }
        parts.AddRange(attachments.Select((file, i) => new Part($"file:{file.Id}", i == 0 && captioned ? text : null, file)));
        return parts;
    }
}
