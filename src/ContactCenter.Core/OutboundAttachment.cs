namespace ContactCenter.Core;

/// <summary>A file a manager attached to a reply; read its content through <see cref="IAttachmentContent"/>.</summary>
public sealed record OutboundAttachment(long Id, string FileName, string ContentType, long Size, string StoragePath);
