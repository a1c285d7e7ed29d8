namespace ContactCenter.Api.Features.Crm;

public sealed record CrmOptions
{
    /// <summary>How often the clock is checked for due activities and automation jobs (NOTIFY wakes it earlier for new jobs).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
    public int BatchSize { get; init; } = 50;
    public int MaxAttempts { get; init; } = 6;
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromHours(1);
    /// <summary>How long a running automation job may go without finishing before it is queued again (database time).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>How long a queued automation job may wait for its Hangfire run before it is queued again (database time).</summary>
    public TimeSpan QueueLease { get; init; } = TimeSpan.FromMinutes(1);
}
