using System.Text;
using MimeKit;

namespace ContactCenter.Connectors.Email;

/// <summary>
/// Names the charset of 8-bit text parts that do not say it. Russian accounting software (1C) and old scripts send
/// windows-1251 bodies as plain `text/plain` without a charset; MimeKit then falls back to ISO-8859-1 and the text
/// becomes mojibake ("Äîáðûé äåíü"). A body that is valid UTF-8 is left alone (MimeKit reads that right);
/// otherwise the Cyrillic code page whose reading looks like prose wins, and Latin-1 stays the answer for anything else.
/// </summary>
public static class BodyCharset
{
    static BodyCharset() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Sets the charset of text parts that name none, or name one their bytes cannot be in: `us-ascii` over 8-bit bytes
    /// (a mailer's default label) and sendmail's `unknown-8bit` / `x-unknown` for 8-bit mail it could not label. Bytes
    /// that are valid UTF-8 are then read as UTF-8; otherwise <see cref="Guess"/> decides.
    /// </summary>
    public static void Fill(MimeMessage message)
    {
        foreach (var part in message.BodyParts.OfType<TextPart>())
        {
            var declared = part.ContentType.Charset;
            if (part.Content is null || declared is not null && !Unreliable(declared) && Decodable(declared))
            {
                continue;
            }
            using var buffer = new MemoryStream();
            part.Content.DecodeTo(buffer);
            var bytes = buffer.ToArray();
            if (Guess(bytes) is { } charset)
            {
                part.ContentType.Charset = charset;
            }
            else if (declared is not null && bytes.Any(b => b >= 0x80))
            {
                part.ContentType.Charset = "utf-8";
            }
        }
    }

    /// <summary>
    /// A label this machine can decode. One it cannot (`charset=x-bogus-42`) was read as UTF-8 with the other bytes dropped
    /// ("café" came as "caf"): its bytes are read as an unlabelled part's are.
    /// </summary>
    private static bool Decodable(string charset)
    {
        try
        {
            _ = Encoding.GetEncoding(charset.Trim().Trim('"'));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Labels that say nothing about 8-bit bytes: ASCII (which has none) and "unknown".</summary>
    public static bool Unreliable(string charset) => charset.Trim().ToLowerInvariant() is
        "us-ascii" or "ascii" or "ansi_x3.4-1968" or "iso646-us" or "unknown-8bit" or "x-unknown" or "unknown" or "8bit" or "default";

    /// <summary>
    /// The fallback charset for header text that is raw 8-bit rather than RFC 2047 encoded (1C and PHP scripts send a
    /// windows-1251 Subject, sender name or file name as bytes): MimeKit reads such a header as UTF-8 when it is valid
    /// UTF-8 and with this charset otherwise. Guessed from the header lines of the whole message (its top-level block
    /// and every part's), or null when they hold no 8-bit bytes that are not UTF-8.
    /// </summary>
    public static Encoding? HeaderFallback(byte[] raw)
    {
        var headerBytes = HeaderLines(raw);
        return Guess(headerBytes) is { } charset && charset != "iso-8859-1" ? Encoding.GetEncoding(charset) : null;
    }

    /// <summary>The bytes of the message's header lines: the top block, and lines that look like a MIME part's headers.</summary>
    private static byte[] HeaderLines(byte[] raw)
    {
        using var headers = new MemoryStream();
        var inHeader = true;
        var start = 0;
        var lastWasHeader = false;
        for (var i = 0; i <= raw.Length; i++)
        {
            if (i < raw.Length && raw[i] != (byte)'\n')
            {
                continue;
            }
            var line = raw.AsSpan(start, i - start).TrimEnd((byte)'\r');
            start = i + 1;
            if (line.IsEmpty)
            {
                inHeader = false;
                lastWasHeader = false;
                continue;
            }
            // A part's header block follows its boundary line; folded lines (leading white space) continue a header.
            var folded = lastWasHeader && (line[0] == (byte)' ' || line[0] == (byte)'\t');
            var partHeader = !inHeader && (line.StartsWith("Content-"u8) || line.StartsWith("content-"u8));
            if (inHeader || folded || partHeader)
            {
                headers.Write(line);
                headers.WriteByte((byte)'\n');
                lastWasHeader = true;
            }
            else
            {
                lastWasHeader = false;
            }
        }
        return headers.ToArray();
    }

    /// <summary>Null for ASCII or valid UTF-8; `windows-1251` or `koi8-r` for Russian text; `iso-8859-1` otherwise.</summary>
    public static string? Guess(byte[] bytes)
    {
        if (bytes.All(b => b < 0x80))
        {
            return null;
        }
        try
        {
            StrictUtf8.GetString(bytes);
            return null;
        }
        catch (DecoderFallbackException)
        {
        }
        var cp1251 = Score(Encoding.GetEncoding(1251).GetString(bytes));
        var koi8 = Score(Encoding.GetEncoding(20866).GetString(bytes));
        if (Math.Max(cp1251, koi8) <= 0)
        {
            return "iso-8859-1";
        }
        return cp1251 >= koi8 ? "windows-1251" : "koi8-r";
    }

    /// <summary>Prose is mostly lower-case: the right Cyrillic reading has far more lower- than upper-case letters.</summary>
    private static int Score(string text)
    {
        var lower = 0;
        var upper = 0;
        foreach (var c in text)
        {
            if (c is >= 'а' and <= 'я' or 'ё')
            {
                lower++;
            }
            else if (c is >= 'А' and <= 'Я' or 'Ё')
            {
                upper++;
            }
        }
        return lower - upper;
    }
}
