using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ContactCenter.Core;
using MimeKit;

namespace ContactCenter.Connectors.Email;

/// <summary>
/// Raw RFC 5322 bytes -> InboundMessage: text and HTML in any charset (MimeKit decodes RFC 2047/2231 words and
/// charsets), sanitised HTML, trimmed preview text with the full text kept, attachments with clean names, auto-reply
/// and bounce detection. Never throws: what cannot be parsed is stored as far as it could be read, with a warning.
/// </summary>
public static partial class EmailParser
{
    public const string UnknownSender = "unknown-sender@invalid";

    public sealed record Context(long ChannelId, string OwnAddress, long UidValidity, long Uid, EmailOptions Options)
    {
        /// <summary>Set for an over-size message: its real size and the attachments that were left on the server.</summary>
        public string? OversizeNote { get; init; }
    }

    public static EmailVerdict Parse(byte[] raw, Context context)
    {
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            message = BodyCharset.HeaderFallback(raw) is { } fallback
                ? MimeMessage.Load(new ParserOptions { CharsetEncoding = fallback }, stream)
                : MimeMessage.Load(stream);
        }
        catch (Exception ex) when (ex is FormatException or ParseException or InvalidOperationException or ArgumentException or DecoderFallbackException)
        {
            return Fallback(raw, context, ex);
        }
        try
        {
            return FromMessage(message, raw, context);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Fallback(raw, context, ex);
        }
    }

    public static EmailVerdict FromMessage(MimeMessage message, byte[]? raw, Context context)
    {
        var warnings = new List<string>();
        var author = message.From.Mailboxes.FirstOrDefault() ?? message.Sender;
        // Web forms and notification services send from a no-reply address with the person in Reply-To: that person is
        // the customer (their contact, and where replies go), as in Zendesk and Freshdesk.
        var from = ReplyToPerson(author, message.ReplyTo) ?? author;
        var address = from?.Address?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(address) || !address.Contains('@', StringComparison.Ordinal))
        {
            warnings.Add("The sender's address could not be read.");
            address = UnknownSender;
        }
        if (string.Equals(address, context.OwnAddress, StringComparison.OrdinalIgnoreCase)
            || string.Equals(author?.Address?.Trim(), context.OwnAddress, StringComparison.OrdinalIgnoreCase))
        {
            return new EmailVerdict.Ignore("Sent from the channel's own address.");
        }
        if (Dsn(message) is { } bounce)
        {
            return bounce;
        }

        var metadata = new Dictionary<string, string>
        {
            ["uid"] = context.Uid.ToString(CultureInfo.InvariantCulture),
            ["uidValidity"] = context.UidValidity.ToString(CultureInfo.InvariantCulture),
        };
        var subject = Clean(message.Subject ?? "");
        metadata["subject"] = subject;
        metadata["from"] = author is null ? address : Addresses([author]);
        // The address this conversation's replies go to (the contact may have several): SendHandler reads it.
        metadata["senderAddress"] = address;
        if (message.To.Count > 0) metadata["to"] = Addresses(message.To.Mailboxes);
        if (message.Cc.Count > 0) metadata["cc"] = Addresses(message.Cc.Mailboxes);
        if (message.ReplyTo.Count > 0) metadata["replyTo"] = Addresses(message.ReplyTo.Mailboxes);
        var messageId = string.IsNullOrWhiteSpace(message.MessageId) ? null : Clean(message.MessageId.Trim());
        if (messageId is not null) metadata["messageId"] = messageId;
        if (!string.IsNullOrEmpty(message.InReplyTo)) metadata["inReplyTo"] = Clean(message.InReplyTo);
        var referenced = new List<string>();
        if (!string.IsNullOrEmpty(message.InReplyTo)) referenced.Add(Clean(message.InReplyTo));
        referenced.AddRange(message.References.Select(Clean).Where(r => r.Length > 0).Reverse());
        referenced = referenced.Distinct(StringComparer.Ordinal).Take(50).ToList();
        if (message.References.Count > 0) metadata["references"] = string.Join(' ', message.References.Select(Clean).TakeLast(30));
        // Outlook/Exchange asks for no automatic answer (its own out-of-office replies carry it): our auto-replies keep quiet.
        if (message.Headers["X-Auto-Response-Suppress"] is { Length: > 0 } suppress) metadata["autoResponseSuppress"] = Clean(suppress.Trim());
        var autoReply = AutoReply(message);
        if (autoReply is not null)
        {
            metadata["autoReply"] = "true";
            metadata["autoReplyReason"] = autoReply;
        }

        BodyCharset.Fill(message);
        var bodyParts = message.BodyParts.OfType<TextPart>().Where(p => !p.IsAttachment && (p.IsPlain || p.IsHtml)).ToHashSet();
        string? html = null, text = null;
        try
        {
            var htmlBody = message.HtmlBody;
            if (!string.IsNullOrWhiteSpace(htmlBody))
            {
                html = Clean(EmailHtml.Sanitize(htmlBody, out var blocked));
                if (blocked) metadata["remoteImagesBlocked"] = "true";
            }
            text = message.TextBody;
            if (string.IsNullOrWhiteSpace(text) && htmlBody is not null)
            {
                text = EmailHtml.ToText(htmlBody);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            warnings.Add($"The body could not be decoded: {ex.Message}");
        }
        text = Clean(text ?? "").Trim();
        var preview = QuoteTrimmer.Trim(text);
        if (preview.Length < text.Length)
        {
            metadata["fullText"] = text;
        }

        var attachments = new List<InboundAttachment>();
        var index = 0;
        foreach (var entity in message.BodyParts)
        {
            index++;
            if (entity is TextPart t && bodyParts.Contains(t))
            {
                continue;
            }
            try
            {
                attachments.AddRange(EmailAttachments.From(entity, index));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                warnings.Add($"Attachment {index} could not be read: {ex.Message}");
            }
        }
        if (context.OversizeNote is { } note)
        {
            metadata["oversized"] = "true";
            warnings.Add(note);
        }
        if (warnings.Count > 0)
        {
            metadata["warning"] = string.Join(" ", warnings);
        }
        if (preview.Length == 0 && attachments.Count == 0)
        {
            preview = subject.Length > 0 ? subject : "(empty email)";
        }

        // MimeKit gives MinValue for a missing or unreadable Date: the pipeline then uses its receive time. Any other date
        // leaves here in UTC (a +0300 offset cannot be written to timestamptz); one out of the sane window the pipeline replaces.
        DateTimeOffset? sentAt = message.Date == DateTimeOffset.MinValue ? null : message.Date.ToUniversalTime();
        if (sentAt is not null && message.Date.Offset == TimeSpan.Zero && RussianZone().Match(message.Headers[HeaderId.Date] ?? "") is { Success: true } zone)
        {
            // MimeKit knows the US zone names but reads "MSK" as UTC: the mail was then three hours late.
            sentAt = new DateTimeOffset(message.Date.DateTime, TimeSpan.FromHours(zone.Groups[1].Value.ToUpperInvariant() == "MSD" ? 4 : 3)).ToUniversalTime();
        }
        if (sentAt is null && message.Headers[HeaderId.Date] is { Length: > 0 } unreadable)
        {
            metadata["sentAtOriginal"] = Clean(unreadable.Trim());
        }
        var externalId = messageId is { Length: <= 400 } ? messageId : "sha256:" + Hash(raw ?? Encoding.UTF8.GetBytes(message.ToString()));
        // What tells another email that reuses this Message-ID (1C, PHP mail() and old CMSs send fixed ones) from the same
        // email read again: EmailIntake stores the other one under its own id.
        metadata["fingerprint"] = Hash(Encoding.UTF8.GetBytes(string.Join('\n', address, message.Headers[HeaderId.Date] ?? "", subject, text)))[..16];
        var inbound = new InboundMessage(context.ChannelId, externalId, ThreadKey: null,
            new SenderIdentity(address, NullIfEmpty(Clean(from?.Name ?? "")), address == UnknownSender ? null : address),
            preview, html, attachments,
            sentAt,
            ReplyToExternalId: NullIfEmpty(Clean(message.InReplyTo ?? "")),
            RawPayload: RawText(raw, message, context.Options.MaxRawBytes))
        {
            Metadata = metadata,
            Automated = autoReply is not null, // never opens a lead, triggers automation or starts a wait
        };
        return new EmailVerdict.Store(inbound, referenced, Token(subject));
    }

    /// <summary>The single Reply-To person of an email sent from a no-reply address (a web form, a notification service), or null.</summary>
    private static MailboxAddress? ReplyToPerson(MailboxAddress? author, InternetAddressList replyTo)
    {
        var people = replyTo.Mailboxes.Where(m => m.Address?.Contains('@', StringComparison.Ordinal) == true).ToList();
        if (author?.Address is not { } authorAddress || people.Count != 1
            || string.Equals(people[0].Address, authorAddress, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var local = authorAddress.Split('@')[0].ToLowerInvariant().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)
            .Replace(".", "", StringComparison.Ordinal);
        return local is "noreply" or "donotreply" or "noanswer" or "robot" or "mailer" or "webform" or "forms" or "form" or "wordpress"
            || local.StartsWith("noreply", StringComparison.Ordinal) || local.StartsWith("donotreply", StringComparison.Ordinal)
            ? people[0] : null;
    }

    /// <summary>Auto-Submitted (other than "no"), X-Autoreply, X-Autorespond, Precedence bulk/junk/list, an empty Return-Path, a delivery or read report.</summary>
    public static string? AutoReply(MimeMessage message)
    {
        var headers = message.Headers;
        var autoSubmitted = headers[HeaderId.AutoSubmitted]?.Trim();
        if (!string.IsNullOrEmpty(autoSubmitted) && !autoSubmitted.StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return $"Auto-Submitted: {autoSubmitted}";
        }
        foreach (var name in new[] { "X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Autogenerated" })
        {
            if (headers.Contains(name))
            {
                return $"{name}: {headers[name]?.Trim()}";
            }
        }
        var precedence = headers[HeaderId.Precedence]?.Trim().ToLowerInvariant();
        if (precedence is "bulk" or "junk" or "list" or "auto_reply")
        {
            return $"Precedence: {precedence}";
        }
        if (headers.Contains(HeaderId.ReturnPath) && headers[HeaderId.ReturnPath]?.Trim() is "<>" or "")
        {
            return "Return-Path: <>";
        }
        if (message.Body is MultipartReport report)
        {
            return $"Report: {report.ReportType}";
        }
        // Mail systems and out-of-office replies that set none of the headers above (qmail's plain bounces, Exchange's
        // Russian "Автоответ:" with only X-Auto-Response-Suppress): known system senders and auto-reply subjects.
        var sender = (message.From.Mailboxes.FirstOrDefault() ?? message.Sender)?.Address?.Split('@')[0].ToLowerInvariant();
        if (sender is "mailer-daemon" or "postmaster" or "mail-daemon")
        {
            return $"From: {sender}";
        }
        if (AutoReplySubject().Match(message.Subject ?? "") is { Success: true } subject)
        {
            return $"Subject: {subject.Value.Trim()}";
        }
        return null;
    }

    [GeneratedRegex(@"\d{1,2}:\d{2}(?::\d{2})?\s+\(?(MSK|MSD)\)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex RussianZone();

    [GeneratedRegex(@"^\s*(Автоответ|Автоматический ответ|Automatic reply|Auto(matic)?[ -]?reply|Out of (the )?Office|Абонент отсутствует|Нет на месте|Abwesenheitsnotiz|Réponse automatique|Undeliverable|Undelivered Mail|Delivery Status Notification|Mail delivery failed|Недоставленное сообщение|Не доставлено)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AutoReplySubject();

    private static EmailVerdict.Bounce? Dsn(MimeMessage message)
    {
        if (message.Body is not MultipartReport report || !string.Equals(report.ReportType, "delivery-status", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var status = report.OfType<MessageDeliveryStatus>().FirstOrDefault();
        var recipients = status?.StatusGroups.Skip(1).ToList() ?? [];
        var failed = recipients.Where(g => (g["Action"] ?? "").Trim().StartsWith("failed", StringComparison.OrdinalIgnoreCase)).ToList();
        var original = report.OfType<MessagePart>().FirstOrDefault()?.Message?.MessageId ?? message.InReplyTo ?? message.References.FirstOrDefault();
        if (failed.Count == 0 || string.IsNullOrWhiteSpace(original))
        {
            return null; // a delayed/relayed report, or one we cannot match: stored as an ordinary (auto) message
        }
        var reasons = failed.Select(g =>
        {
            var to = (g["Final-Recipient"] ?? g["Original-Recipient"] ?? "").Split(';').Last().Trim();
            var diagnostic = (g["Diagnostic-Code"] ?? "").Split(';').Last().Trim();
            var code = (g["Status"] ?? "").Trim();
            return $"{to}: {(diagnostic.Length > 0 ? diagnostic : code)}".Trim(' ', ':');
        });
        return new EmailVerdict.Bounce(original.Trim(), "The email bounced: " + string.Join("; ", reasons));
    }

    private static EmailVerdict Fallback(byte[] raw, Context context, Exception error)
    {
        var text = Clean(Encoding.UTF8.GetString(raw, 0, Math.Min(raw.Length, 64 * 1024)));
        var headerEnd = text.IndexOf("\n\n", StringComparison.Ordinal);
        var fromMatch = FromHeader().Match(headerEnd > 0 ? text[..headerEnd] : text);
        var address = fromMatch.Success ? fromMatch.Groups[1].Value.ToLowerInvariant() : UnknownSender;
        if (string.Equals(address, context.OwnAddress, StringComparison.OrdinalIgnoreCase))
        {
            return new EmailVerdict.Ignore("Sent from the channel's own address.");
        }
        var body = headerEnd > 0 ? text[(headerEnd + 2)..].Trim() : text;
        var metadata = new Dictionary<string, string>
        {
            ["uid"] = context.Uid.ToString(CultureInfo.InvariantCulture),
            ["uidValidity"] = context.UidValidity.ToString(CultureInfo.InvariantCulture),
            ["warning"] = $"This email could not be read properly ({error.GetType().Name}: {error.Message}); what could be read is shown.",
        };
        var inbound = new InboundMessage(context.ChannelId, "sha256:" + Hash(raw), null,
            new SenderIdentity(address, null, address == UnknownSender ? null : address),
            body.Length == 0 ? "(unreadable email)" : body[..Math.Min(body.Length, 20_000)], null, [], null, null,
            RawText(raw, null, context.Options.MaxRawBytes))
        {
            Metadata = metadata,
        };
        return new EmailVerdict.Store(inbound, [], null);
    }

    private static string RawText(byte[]? raw, MimeMessage? message, int max)
    {
        if (raw is not null && raw.Length <= max)
        {
            return Clean(Encoding.UTF8.GetString(raw));
        }
        if (message is not null)
        {
            return Clean(string.Join("", message.Headers.Select(h => h.ToString() + "\n")) + "\n(body not kept: over the raw size limit)");
        }
        return Clean(Encoding.UTF8.GetString(raw!, 0, max)) + "\n(truncated)";
    }

    /// <summary>The conversation id of a `[#CC-123]` token in the subject.</summary>
    public static long? Token(string subject)
    {
        var match = TokenPattern().Match(subject);
        return match.Success && long.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    public static string TokenFor(long conversationId) => $"[#CC-{conversationId}]";

    /// <summary>`Name &lt;address&gt;, address` as people write it (decoded, unquoted).</summary>
    private static string Addresses(IEnumerable<MailboxAddress> list) =>
        Clean(string.Join(", ", list.Select(m => string.IsNullOrWhiteSpace(m.Name) ? m.Address : $"{m.Name} <{m.Address}>")));

    /// <summary>PostgreSQL text cannot hold NUL characters.</summary>
    private static string Clean(string value) => value.Contains('\0', StringComparison.Ordinal) ? value.Replace('\0', '\uFFFD') : value;

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string Hash(byte[] raw) => Convert.ToHexStringLower(SHA256.HashData(raw));

    [GeneratedRegex(@"\[#CC-(\d{1,18})\]")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"(?im)^From:.*?<?([^\s<>""]+@[^\s<>""]+?)>?\s*$")]
    private static partial Regex FromHeader();
}
