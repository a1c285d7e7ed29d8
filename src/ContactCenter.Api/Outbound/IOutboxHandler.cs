namespace ContactCenter.Api.Outbound;

public sealed record OutboxItem(long Id, string Kind, long? MessageId, string Payload, int Attempts);

public abstract record OutboxResult
{
    public sealed record Done : OutboxResult;
    public sealed record Retry(string Reason, TimeSpan? After = null) : OutboxResult;
    public sealed record Failed(string Reason) : OutboxResult;
}

/// <summary>Does one kind of durable work (`send`, `media:telegram`...). Must be safe to run twice for one item.</summary>
public interface IOutboxHandler
{
    string Kind { get; }

    Task<OutboxResult> HandleAsync(OutboxItem item, bool lastAttempt, CancellationToken ct);
}
