using System.IO.Compression;
using System.Security.Cryptography;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// `GET /widget.js`: the embeddable widget, served from this assembly (no CDN), gzipped when the browser accepts it. One
/// script, kept as several files (Widget/Script, embedded as `widget/*.js`) concatenated in name order.
/// </summary>
public sealed class WidgetScript
{
    public WidgetScript()
    {
        var assembly = typeof(WidgetScript).Assembly;
        var parts = assembly.GetManifestResourceNames().Where(n => n.StartsWith("widget/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (parts.Count == 0)
        {
            throw new InvalidOperationException("widget.js is not embedded.");
        }
        using var plain = new MemoryStream();
        foreach (var part in parts)
        {
            using var stream = assembly.GetManifestResourceStream(part)!;
            stream.CopyTo(plain);
        }
        Plain = plain.ToArray();
        using var zipped = new MemoryStream();
        using (var gzip = new GZipStream(zipped, CompressionLevel.SmallestSize))
        {
            gzip.Write(Plain);
        }
        Gzipped = zipped.ToArray();
        ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Plain))[..16] + "\"";
    }

    public byte[] Plain { get; }

    public byte[] Gzipped { get; }

    public string ETag { get; }
}
