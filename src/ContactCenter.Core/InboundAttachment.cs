namespace ContactCenter.Core;

/// <param name="ExternalRef">How to fetch the content later (a Telegram file id, a media URL); null when Content is given.</param>
public sealed record InboundAttachment(
    string FileName,
    string? ContentType,
    long? Size,
    string? ExternalRef,
    byte[]? Content = null);
