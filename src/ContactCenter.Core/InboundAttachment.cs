namespace ContactCenter.Core;

/// <param name="ExternalRef">How to fetch the content later (a Telegram file id, a media URL); null when Content is given.</param>
public sealed record InboundAttachment(
    string FileName,
    string? ContentType,
    long? Size,
    string? ExternalRef,
    byte[]? Content = null)
{
    /// <summary>
    /// Where the host already wrote <see cref="Content"/> (relative to its file store), before the message's database
    /// transaction; set by the host, never by a connector.
    /// </summary>
    public string? StoragePath { get; init; }

    /// <summary>The size a provider stated, when it can be one (a Telegram update's `file_size: -1` is not): else unknown.</summary>
    public long? Size { get; init; } = Size is >= 0 ? Size : null;
}
