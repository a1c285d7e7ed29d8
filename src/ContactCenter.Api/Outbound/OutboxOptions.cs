namespace ContactCenter.Api.Outbound;

public sealed record OutboxOptions
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);
    public int MaxAttempts { get; init; } = 8;
    /// <summary>The most items one claim takes.</summary>
    public int BatchSize { get; init; } = 20;
    /// <summary>
    /// How long a claim holds an item without news from its node. The node renews it every third of this while the
    /// item runs, so a send slower than the lease (a provider's own timeout is up to 90 s) is never claimed twice;
    /// only a node that stopped renewing (crashed, cut off from the database) loses its items to another.
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>How many items one node runs at once.</summary>
    public int MaxConcurrency { get; init; } = 16;
    /// <summary>How many of them may belong to one channel, so a hung provider leaves the other slots to other channels.</summary>
    public int MaxPerChannel { get; init; } = 8;
}
