using System.Globalization;
using System.Text.Json;
using ContactCenter.Core;

namespace ContactCenter.Connectors.Sms;

/// <summary>Twilio's incoming-message form (`MessageSid`, `From`, `Body`, `NumMedia`, `MediaUrlN`...) as an InboundMessage.</summary>
public static class TwilioInboundMapper
{
    public const int MaxTextLength = 20_000;
    public const int MaxMedia = 10;

    public sealed record Mapped(InboundMessage Message, string? Keyword, SmsKeywords.Kind KeywordKind);

    /// <returns>The message, or the field errors that make the post unusable (answer 400).</returns>
    /// <param name="apiBase">The channel's `apiBaseUrl`, the only host besides Twilio's own that media may be fetched from.</param>
    public static (Mapped? Result, Dictionary<string, string[]> Errors) Map(long channelId, IReadOnlyDictionary<string, string> form, Uri? apiBase = null)
    {
        var errors = new Dictionary<string, string[]>();
        var sid = form.GetValueOrDefault("MessageSid")?.Trim();
        if (string.IsNullOrEmpty(sid) || sid.Length > 64)
        {
            errors["MessageSid"] = ["MessageSid is required."];
        }
        var from = form.GetValueOrDefault("From")?.Trim();
        if (string.IsNullOrEmpty(from) || from.Length > 64)
        {
            errors["From"] = ["From is required."];
        }
        var body = form.GetValueOrDefault("Body");
        if (body is { Length: > MaxTextLength })
        {
            errors["Body"] = [$"Body is at most {MaxTextLength} characters."];
        }
        var numMedia = 0;
        if (form.GetValueOrDefault("NumMedia") is { Length: > 0 } n
            && (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out numMedia) || numMedia > MaxMedia))
        {
            errors["NumMedia"] = [$"NumMedia must be a number from 0 to {MaxMedia}."];
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        // A number we can read is keyed in E.164; a short code or alphanumeric sender is kept as Twilio wrote it.
        var phone = E164.NormalizePossible(from);
        var attachments = new List<InboundAttachment>();
        var refused = 0;
        for (var i = 0; i < numMedia; i++)
        {
            if (form.GetValueOrDefault($"MediaUrl{i}") is { Length: > 0 } url)
            {
                // A signed post may still name any URL: only Twilio's hosts (or the channel's own API base) are fetched.
                if (!TwilioHttp.IsMediaHost(url, apiBase))
                {
                    refused++;
                    continue;
                }
                var type = form.GetValueOrDefault($"MediaContentType{i}");
                attachments.Add(new InboundAttachment(FileName(url, type, i), string.IsNullOrWhiteSpace(type) ? null : type, null, url));
            }
        }
        var (keyword, kind) = SmsKeywords.Detect(body);
        var metadata = new Dictionary<string, string>();
        if (form.GetValueOrDefault("To") is { Length: > 0 } to)
        {
            metadata["to"] = to;
        }
        if (form.GetValueOrDefault("NumSegments") is { Length: > 0 } segments)
        {
            metadata["numSegments"] = segments;
        }
        if (keyword is not null)
        {
            metadata["smsKeyword"] = keyword;
            metadata["smsKeywordKind"] = kind switch { SmsKeywords.Kind.OptOut => "optOut", SmsKeywords.Kind.OptIn => "optIn", _ => "help" };
        }
        var text = string.IsNullOrEmpty(body) ? null : body;
        if (refused > 0)
        {
            metadata["mediaRefused"] = refused.ToString(CultureInfo.InvariantCulture);
            text = (text is null ? "" : text + "\n\n") + $"[{refused} attachment(s) not fetched: the media URL was not on Twilio's hosts.]";
        }
        var message = new InboundMessage(channelId, sid!, ThreadKey: null,
            new SenderIdentity(phone ?? from!, Phone: phone),
            text, Html: null, attachments, SentAt: null, ReplyToExternalId: null,
            JsonSerializer.Serialize(form))
        {
            Metadata = metadata,
        };
        return (new Mapped(message, keyword, kind), errors);
    }

    /// <summary>Twilio media has no file name: the media SID (last path segment) plus an extension from the type.</summary>
    private static string FileName(string url, string? contentType, int index)
    {
        var name = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Segments.Length > 0 ? uri.Segments[^1].Trim('/') : "";
        if (name.Length == 0)
        {
            name = $"media-{index + 1}";
        }
        return name + Extension(contentType);
    }

    private static string Extension(string? contentType) => contentType?.Split(';')[0].Trim().ToLowerInvariant() switch
    {
        "image/jpeg" or "image/jpg" => ".jpg",
        "image/png" => ".png",
        "image/gif" => ".gif",
        "image/webp" => ".webp",
        "image/heic" => ".heic",
        "video/mp4" => ".mp4",
        "video/3gpp" => ".3gp",
        "audio/mpeg" => ".mp3",
        "audio/amr" => ".amr",
        "audio/ogg" => ".ogg",
        "text/vcard" or "text/x-vcard" => ".vcf",
        "text/calendar" => ".ics",
        "text/plain" => ".txt",
        "application/pdf" => ".pdf",
        _ => "",
    };
}
