namespace ContactCenter.Api.Infrastructure;

public sealed record JobsOptions
{
    /// <summary>How often an idle Hangfire worker looks for queued jobs (Hangfire.PostgreSql's default is 15 s).</summary>
    public TimeSpan QueuePollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public int WorkerCount { get; init; } = 4;

    /// <summary>Whether this node runs a Hangfire server (false: it only enqueues, e.g. a node that serves the API alone).</summary>
    public bool Server { get; init; } = true;

    /// <summary>Cron of the recurring sweep of uploads no reply took (UTC).</summary>
    public string SweepUploadsCron { get; init; } = "17 * * * *";

    /// <summary>Cron of the daily sweep of files no row refers to (UTC).</summary>
    public string SweepOrphanFilesCron { get; init; } = "43 3 * * *";
}
