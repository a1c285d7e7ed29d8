namespace ContactCenter.Connectors.WhatsApp;

/// <summary>Host-wide WhatsApp settings (section `WhatsApp`); each number's own settings live on its channel.</summary>
public sealed record WhatsAppOptions
{
    /// <summary>
    /// The service's public https base URL (e.g. https://cc.example.com): the channel's `public.webhookUrl` is built from it,
    /// never from the Host of the request that asked. Empty: the URL is shown relative.
    /// </summary>
    public string? PublicBaseUrl { get; init; }

    /// <summary>How long a status report for a message we do not know yet waits for the send to be recorded.</summary>
    public TimeSpan UnknownStatusGrace { get; init; } = TimeSpan.FromSeconds(1);
}
