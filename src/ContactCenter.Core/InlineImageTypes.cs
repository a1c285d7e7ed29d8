namespace ContactCenter.Core;

/// <summary>
/// Which stored content types are served as images (the app shows them inline). Media types are case-insensitive
/// (`image/SVG+xml` is SVG, which can carry script), so the check is an allow-list of raster types on the lower-cased
/// type without parameters; anything else is served as a download (application/octet-stream).
/// </summary>
public static class InlineImageTypes
{
    private static readonly HashSet<string> Raster = new(StringComparer.Ordinal)
    {
        "image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp", "image/bmp", "image/avif", "image/heic", "image/heif",
    };

    /// <returns>The normalised type when it may be shown inline, else null.</returns>
    public static string? Inline(string? contentType)
    {
        var type = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return type is not null && Raster.Contains(type) ? type : null;
    }

    private static readonly HashSet<string> Audio = new(StringComparer.Ordinal)
    {
        "audio/mpeg", "audio/mp3", "audio/wav", "audio/x-wav", "audio/wave", "audio/ogg", "audio/webm", "audio/mp4",
    };

    /// <returns>The normalised type when it is audio the browser plays (call recordings), else null.</returns>
    public static string? PlayableAudio(string? contentType)
    {
        var type = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return type is not null && Audio.Contains(type) ? type : null;
    }
}
