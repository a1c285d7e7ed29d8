namespace ContactCenter.Core;

/// <summary>The one way into storage for customer messages (implemented by the host).</summary>
public interface IInboundPipeline
{
    /// <summary>Stores the message durably (one transaction) and pushes it live; returns only after commit.</summary>
    Task<IngestResult> IngestAsync(InboundMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a customer's edit: the stored text changes, the first text is kept in the message's metadata
    /// (`originalText`) and the message is marked `edited`; pushes `messageUpdated`. An edit of a message
    /// never stored is ingested as <see cref="InboundEdit.Original"/>. Safe to apply twice.
    /// </summary>
    Task<IngestResult> EditAsync(InboundEdit edit, CancellationToken cancellationToken);
}
