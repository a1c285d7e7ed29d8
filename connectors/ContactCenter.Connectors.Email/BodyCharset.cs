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

    /// <summary>Sets the charset parameter on text parts that have none and whose bytes are not UTF-8.</summary>
    public static void Fill(MimeMessage message)
    {
        foreach (var part in message.BodyParts.OfType<TextPart>())
        {
            if (part.ContentType.Charset is not null || part.Content is null)
            {
                continue;
            }
            using var buffer = new MemoryStream();
            part.Content.DecodeTo(buffer);
            if (Guess(buffer.ToArray()) is { } charset)
            {
                part.ContentType.Charset = charset;
            }
        }
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
