namespace ContactCenter.Core;

/// <summary>Delivers outbound messages of one channel kind. Must be safe to call twice for one message.</summary>
public interface IChannelSender
{
    string Kind { get; }

    /// <summary>Whether replies with files can leave on this kind; a reply with files on another kind is refused up front.</summary>
    bool SupportsAttachments => false;

    /// <summary>The longest text one reply may carry on this kind (null: no limit of its own); a longer reply is refused up front.</summary>
    int? MaxTextLength => null;

    Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
