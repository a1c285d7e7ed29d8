using ContactCenter.Core.Net;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ContactCenter.Core;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ContactCenter.Connectors.Email;

/// <summary>
/// Sends a manager's reply over SMTP so the customer's mail client threads it: our own Message-ID (stable for the
/// message, so a repeated send is recognisable), In-Reply-To and References from the conversation, "Re: " subject
/// with the `[#CC-n]` token, text and HTML alternatives, the manager's files as attachments (non-ASCII names RFC 2231
/// encoded). 4xx and connection problems retry; 5xx fail with the server's words.
/// </summary>
public sealed partial class EmailChannelSender(
    IEmailStore store, IChannelDirectory channels, IAttachmentContent files, OutboundGuard guard, IOptions<EmailOptions> options, ILogger<EmailChannelSender> logger) : IChannelSender
{
    public string Kind => ChannelKinds.Email;

    public bool SupportsAttachments => true;

    public static string MessageIdFor(OutboundMessage message, string domain) =>
        $"cc.{message.MessageId}.{message.CreatedAt.ToUnixTimeMilliseconds().ToString("x", CultureInfo.InvariantCulture)}@{domain}";

    public async Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var settings = EmailSettings.From(message.Channel);
        var thread = await store.LoadThreadAsync(message.ConversationId, message.MessageId, cancellationToken);
        var contents = new List<(OutboundAttachment File, Stream Content)>(message.Attachments.Count);
        try
        {
            foreach (var file in message.Attachments)
            {
                contents.Add((file, files.OpenRead(file)));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await DisposeAllAsync(contents);
            return ex is FileNotFoundException or DirectoryNotFoundException
                ? new SendOutcome.Failed($"An attached file is no longer stored ({ex.Message}).")
                : new SendOutcome.Retry($"An attached file could not be read: {ex.Message}");
        }
        try
        {
            return await SendAsync(message, settings, Build(message, settings, thread, contents, out var metadata), metadata, cancellationToken);
        }
        finally
        {
            await DisposeAllAsync(contents);
        }
    }

    private static async Task DisposeAllAsync(List<(OutboundAttachment File, Stream Content)> contents)
    {
        foreach (var (_, content) in contents)
        {
            await content.DisposeAsync();
        }
    }

    private async Task<SendOutcome> SendAsync(OutboundMessage message, EmailSettings settings, MimeMessage mime, Dictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new SmtpClient { Timeout = (int)options.Value.Timeout.TotalMilliseconds };
            EmailTls.Configure(client, settings);
            await client.ConnectAsync(await guard.ConnectSocketAsync(settings.SmtpHost, settings.SmtpPort, cancellationToken), settings.SmtpHost, settings.SmtpPort,
                EmailSettings.Socket(settings.SmtpSecurity), cancellationToken);
            if (client.Capabilities.HasFlag(SmtpCapabilities.Authentication))
            {
                await client.AuthenticateAsync(settings.Username, settings.Password, cancellationToken);
            }
            await client.SendAsync(mime, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
        }
        catch (SmtpCommandException ex)
        {
            var code = (int)ex.StatusCode;
            var reason = $"{code} {ex.Message}".Trim();
            return code is >= 400 and < 500
                ? new SendOutcome.Retry($"The mail server deferred the message: {reason}")
                : new SendOutcome.Failed($"The mail server refused the message: {reason}");
        }
        catch (AuthenticationException ex)
        {
            var error = $"SMTP login failed for {settings.Username} at {settings.SmtpHost}:{settings.SmtpPort}: {ex.Message}";
            await channels.SetStatusErrorAsync(message.Channel.Id, error, CancellationToken.None);
            return new SendOutcome.Failed(error);
        }
        catch (Exception ex) when (EmailTls.Describe("SMTP", settings.SmtpHost, settings.SmtpPort, ex) is { } tls)
        {
            // The reply stays queued (retried) while the admin fixes the certificate or the security mode.
            logger.LogWarning(ex, "SMTP TLS set-up for message {MessageId} failed", message.MessageId);
            await channels.SetStatusErrorAsync(message.Channel.Id, tls, CancellationToken.None);
            return new SendOutcome.Retry(tls);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or SocketException or TimeoutException or SslHandshakeException
            or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation(ex, "SMTP send of message {MessageId} failed; will retry", message.MessageId);
            return new SendOutcome.Retry($"SMTP: cannot connect to {settings.SmtpHost}");
        }
        await store.MergeMetadataAsync(message.MessageId, metadata, cancellationToken);
        return new SendOutcome.Sent(mime.MessageId);
    }

    internal static MimeMessage Build(OutboundMessage message, EmailSettings settings, IEmailStore.ThreadInfo thread,
        IReadOnlyList<(OutboundAttachment File, Stream Content)> attachments, out Dictionary<string, string> metadata)
    {
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(string.IsNullOrWhiteSpace(message.Channel.Name) ? null : message.Channel.Name, settings.Address));
        mime.To.Add(new MailboxAddress(message.Recipient.Name, message.Recipient.Address));
        mime.MessageId = MessageIdFor(message, settings.Domain);
        mime.Date = message.CreatedAt;
        mime.Subject = Subject(thread.Subject, message.ConversationId, message.Text);
        if (message.Automated)
        {
            // RFC 3834: auto-responders must not answer it; Exchange/Outlook read X-Auto-Response-Suppress.
            mime.Headers.Add(HeaderId.AutoSubmitted, "auto-generated");
            mime.Headers.Add("X-Auto-Response-Suppress", "All");
        }
        metadata = new Dictionary<string, string>
        {
            ["messageId"] = mime.MessageId,
            ["subject"] = mime.Subject,
            ["to"] = mime.To.ToString(),
        };
        if (thread.ParentMessageId is { } parent)
        {
            mime.InReplyTo = parent;
            var references = (thread.ParentReferences ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Append(parent).Distinct().ToList();
            // Keep the thread root and the latest ones: long chains break some servers' header limits.
            if (references.Count > 20)
            {
                references = [references[0], .. references.TakeLast(19)];
            }
            foreach (var id in references)
            {
                mime.References.Add(id);
            }
            metadata["inReplyTo"] = parent;
            metadata["references"] = string.Join(' ', references);
        }
        var html = "<div>" + string.Join("<br>\n", message.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(WebUtility.HtmlEncode)) + "</div>";
        var body = new BodyBuilder { TextBody = message.Text, HtmlBody = html };
        foreach (var (file, content) in attachments)
        {
            var part = (MimePart)body.Attachments.Add(file.FileName, content, ContentType.TryParse(file.ContentType, out var type) ? type : new ContentType("application", "octet-stream"));
            // RFC 2231 (`filename*=utf-8''...`) for non-ASCII names, whatever the defaults: the standard way mail clients read them.
            foreach (var parameter in part.ContentType.Parameters.Concat(part.ContentDisposition?.Parameters ?? []))
            {
                parameter.EncodingMethod = ParameterEncodingMethod.Rfc2231;
            }
        }
        if (attachments.Count > 0)
        {
            metadata["attachments"] = string.Join(", ", attachments.Select(a => a.File.FileName));
        }
        mime.Body = body.ToMessageBody();
        return mime;
    }

    /// <summary>
    /// "Re: " + the thread's subject (its own Re:/Fwd: prefixes removed) + the conversation token. The first email of a
    /// conversation a manager starts has no subject to answer: its own first line is the subject, with no "Re:".
    /// </summary>
    public static string Subject(string? threadSubject, long conversationId, string? text = null)
    {
        var token = EmailParser.TokenFor(conversationId);
        var subject = Prefixes().Replace(threadSubject ?? "", "").Trim();
        var fresh = subject.Length == 0;
        if (fresh)
        {
            subject = FirstLine(text);
        }
        if (!subject.Contains(token, StringComparison.Ordinal))
        {
            subject = subject.Length == 0 ? token : $"{subject} {token}";
        }
        return fresh ? subject : "Re: " + subject;
    }

    /// <summary>The first non-empty line of a text, cut at a word near 70 characters ("…" when cut); empty for none.</summary>
    private static string FirstLine(string? text)
    {
        var line = (text ?? "").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        if (line.Length <= 70)
        {
            return line;
        }
        var cut = line.LastIndexOf(' ', 70);
        return line[..(cut > 30 ? cut : 70)].TrimEnd() + "…";
    }

    [GeneratedRegex(@"^((re|fwd?|aw|wg|sv|ответ|отв|на)\s*(\[\d+\])?\s*:\s*)+", RegexOptions.IgnoreCase)]
    private static partial Regex Prefixes();
}
