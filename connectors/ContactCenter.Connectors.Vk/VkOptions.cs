namespace ContactCenter.Connectors.Vk;

/// <summary>Host-wide VK settings (section `Vk`); each community's own settings live on its channel.</summary>
public sealed record VkOptions
{
    /// <summary>
    /// The service's public base URL, for the Callback API address shown to paste into the community's settings. When
    /// empty, the one configured for Telegram or the web chat is used (one service, one public address); never the
    /// request's own Host header, which a caller controls.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>How long the webhook waits for VK's users.get to name a new customer before storing the message without a name.</summary>
    public TimeSpan NameLookupTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
