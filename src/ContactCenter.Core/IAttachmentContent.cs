namespace ContactCenter.Core;

/// <summary>Opens stored attachment files for the connectors that send them (registered by the host).</summary>
public interface IAttachmentContent
{
    /// <summary>Opens the stored file for reading; the caller disposes the stream.</summary>
    Stream OpenRead(OutboundAttachment attachment);
}
