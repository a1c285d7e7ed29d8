namespace ContactCenter.Core;

public abstract record SendOutcome
{
    /// <summary>The provider accepted it. Status is `sent` or `delivered`.</summary>
    public sealed record Sent(string? ExternalId, string Status = "sent") : SendOutcome;

    /// <summary>A transient failure: try again later (after RetryAfter when the provider says so).</summary>
    public sealed record Retry(string Reason, TimeSpan? RetryAfter = null) : SendOutcome;

    /// <summary>A permanent failure, shown on the message in plain words.</summary>
    public sealed record Failed(string Reason) : SendOutcome;
}
