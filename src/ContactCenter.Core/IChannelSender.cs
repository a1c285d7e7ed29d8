namespace ContactCenter.Core;

/// <summary>Delivers outbound messages of one channel kind. Must be safe to call twice for one message.</summary>
public interface IChannelSender
{
    string Kind { get; }

    /// <summary>Whether replies with files can leave on this kind; a reply with files on another kind is refused up front.</summary>
    bool SupportsAttachments => false;

    Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
