using System.IO.Compression;
using System.Security.Cryptography;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>`GET /widget.js`: the embeddable widget, served from this assembly (no CDN), gzipped when the browser accepts it.</summary>
public sealed class WidgetScript
{
    public WidgetScript()
    {
        using var stream = typeof(WidgetScript).Assembly.GetManifestResourceStream("widget.js")
            ?? throw new InvalidOperationException("widget.js is not embedded.");
        using var plain = new MemoryStream();
        stream.CopyTo(plain);
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
