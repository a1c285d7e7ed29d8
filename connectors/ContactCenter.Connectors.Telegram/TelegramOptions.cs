namespace ContactCenter.Connectors.Telegram;

/// <summary>Host-wide Telegram settings (section `Telegram`); each bot's own settings live on its channel.</summary>
public sealed record TelegramOptions
{
    /// <summary>
    /// The service's public https base URL (e.g. https://cc.example.com). When set, every enabled bot's webhook is
    /// registered as `{PublicBaseUrl}/webhooks/telegram/{channelId}`; when empty, bots are read by long polling.
    /// </summary>
    public string? PublicBaseUrl { get; init; }

    /// <summary>Long polling for bots when there is no public URL (turn off where another process polls the bots).</summary>
    public bool PollingEnabled { get; init; } = true;

    /// <summary>How long one getUpdates call waits for updates (Telegram's long-poll timeout).</summary>
    public int PollTimeoutSeconds { get; init; } = 25;

    /// <summary>How often the poller looks for channels that were added, changed, disabled or removed.</summary>
    public TimeSpan ChannelRefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Pause after an empty getUpdates answer (a real Bot API long-polls, so this is only a floor).</summary>
    public TimeSpan PollIdleDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Pause after a failed getUpdates call.</summary>
    public TimeSpan PollErrorDelay { get; init; } = TimeSpan.FromSeconds(5);

    public bool UsesWebhooks => !string.IsNullOrWhiteSpace(PublicBaseUrl);
}
