namespace ContactCenter.Core;

/// <summary>
/// Keeps what a connector could not turn into a message (implemented by the host's inbound pipeline), so nothing a
/// provider sent is dropped silently. Its own contract, so a connector that parks input says so in its dependencies.
/// </summary>
public interface IUnhandledInboundSink
{
    /// <summary>Stores the item once per (channel, external id); a redelivery changes nothing.</summary>
    Task RecordUnhandledAsync(UnhandledInbound item, CancellationToken cancellationToken);
}
