namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// Which files a visitor may upload: images, PDF, office documents and plain text, decided by the file name's extension
/// and checked against the first bytes (a `.png` that is really HTML or a program is refused). The stored content type
/// comes from here, never from what the browser claimed, so nothing active (HTML, SVG, scripts, programs) gets in.
/// </summary>
public static class UploadTypes
{
    private static readonly byte[] Zip = "PK\u0003\u0004"u8.ToArray();
    private static readonly byte[] Ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private sealed record Kind(string ContentType, Func<ReadOnlyMemory<byte>, bool> Looks);

    private static readonly Dictionary<string, Kind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = new("image/png", b => Starts(b, [0x89, 0x50, 0x4E, 0x47])),
        [".jpg"] = new("image/jpeg", b => Starts(b, [0xFF, 0xD8, 0xFF])),
        [".jpeg"] = new("image/jpeg", b => Starts(b, [0xFF, 0xD8, 0xFF])),
        [".gif"] = new("image/gif", b => Starts(b, "GIF8"u8.ToArray())),
        [".webp"] = new("image/webp", b => Starts(b, "RIFF"u8.ToArray()) && b.Length > 12 && b.Span[8..12].SequenceEqual("WEBP"u8)),
        [".bmp"] = new("image/bmp", b => Starts(b, "BM"u8.ToArray())),
        [".heic"] = new("image/heic", b => b.Length > 12 && b.Span[4..8].SequenceEqual("ftyp"u8)),
        [".pdf"] = new("application/pdf", b => Starts(b, "%PDF-"u8.ToArray())),
        [".doc"] = new("application/msword", b => Starts(b, Ole)),
        [".xls"] = new("application/vnd.ms-excel", b => Starts(b, Ole)),
        [".ppt"] = new("application/vnd.ms-powerpoint", b => Starts(b, Ole)),
        [".docx"] = new("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b => Starts(b, Zip)),
        [".xlsx"] = new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b => Starts(b, Zip)),
        [".pptx"] = new("application/vnd.openxmlformats-officedocument.presentationml.presentation", b => Starts(b, Zip)),
        [".odt"] = new("application/vnd.oasis.opendocument.text", b => Starts(b, Zip)),
        [".ods"] = new("application/vnd.oasis.opendocument.spreadsheet", b => Starts(b, Zip)),
        [".odp"] = new("application/vnd.oasis.opendocument.presentation", b => Starts(b, Zip)),
        [".rtf"] = new("application/rtf", b => Starts(b, "{\\rtf"u8.ToArray())),
        [".txt"] = new("text/plain", PlainText),
        [".csv"] = new("text/csv", PlainText),
    };

    /// <summary>The extensions accepted, for the widget's file picker and the docs.</summary>
    public static IReadOnlyCollection<string> Extensions => Kinds.Keys;

    /// <summary>The content type to store for this file, or null when it is not allowed (415).</summary>
    public static string? Accept(string? fileName, ReadOnlyMemory<byte> content)
    {
        // The extension of the last path segment: the name itself is cleaned later by the pipeline's one file-name cleaner.
        var last = (fileName ?? "").Replace('\\', '/').Split('/').LastOrDefault() ?? "";
        var extension = Path.GetExtension(last.Trim().TrimEnd('.', ' '));
        return Kinds.TryGetValue(extension, out var kind) && content.Length > 0 && kind.Looks(content) ? kind.ContentType : null;
    }

    private static bool Starts(ReadOnlyMemory<byte> content, byte[] magic) => content.Span.StartsWith(magic);

    /// <summary>Text: no NUL bytes (binary), and not a program or a web page in disguise.</summary>
    private static bool PlainText(ReadOnlyMemory<byte> content)
    {
        var head = content.Span[..Math.Min(content.Length, 8192)];
        if (head.Contains((byte)0) || head.StartsWith("MZ"u8) || head.StartsWith("\u007fELF"u8))
        {
            return false;
        }
        var start = System.Text.Encoding.UTF8.GetString(head[..Math.Min(head.Length, 512)]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return !(start.StartsWith('<') && (start.Contains("<html", StringComparison.OrdinalIgnoreCase) || start.Contains("<svg", StringComparison.OrdinalIgnoreCase)
            || start.Contains("<script", StringComparison.OrdinalIgnoreCase) || start.StartsWith("<!doctype", StringComparison.OrdinalIgnoreCase)));
    }
}
