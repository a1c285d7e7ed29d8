using System.Text;
using MimeKit;

namespace ContactCenter.Connectors.Email.Tests.Infrastructure;

/// <summary>Builds test emails as the bytes a mail server would hold.</summary>
public static class Mail
{
    public const string Customer = "ivan@customer.test";

    public static MimeMessage Text(string to, string subject, string text, string from = Customer, string? messageId = null, string fromName = "Ivan Petrov")
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(fromName, from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = messageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId("customer.test");
        message.Date = DateTimeOffset.UtcNow;
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    /// <summary>A machine's mail: <see cref="Text"/> with one marking header (Auto-Submitted, Precedence, Return-Path...).</summary>
    public static MimeMessage Auto(string to, string subject, string text, string from, string header, string value)
    {
        var message = Text(to, subject, text, from: from);
        message.Headers.Add(header, value);
        return message;
    }

    public static byte[] Bytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(FormatOptions.Default, stream);
        return stream.ToArray();
    }

    /// <summary>A hand-written message in an 8-bit charset: headers ASCII (RFC 2047), body bytes in the charset.</summary>
    public static byte[] Raw(string headers, string body, Encoding bodyEncoding)
    {
        var head = Encoding.ASCII.GetBytes(headers.ReplaceLineEndings("\r\n").TrimEnd() + "\r\n\r\n");
        return [.. head, .. bodyEncoding.GetBytes(body.ReplaceLineEndings("\r\n"))];
    }

    static Mail() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Charset(string name) => Encoding.GetEncoding(name);
}
