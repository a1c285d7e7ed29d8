using System.Diagnostics;
using ContactCenter.Api.Infrastructure.Telemetry;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactCenter.Api.Outbound;

/// <summary>
/// Runs one claimed outbox item through its handler and records done / retry with backoff and jitter / failed.
/// The record is fenced by the claim's attempt number: a node whose lease was taken over (it was cut off from the
/// database past the lease) cannot overwrite what the new holder records.
/// </summary>
public sealed class OutboxItemRunner(NpgsqlDataSource db, IEnumerable<IOutboxHandler> handlers, IOptions<OutboxOptions> options, AppTelemetry telemetry,
    ILogger<OutboxItemRunner> logger)
{
    private readonly Dictionary<string, IOutboxHandler> byKind = handlers.ToDictionary(h => h.Kind);

    public async Task RunAsync(OutboxItem item, CancellationToken ct)
    {
        var o = options.Value;
        var lastAttempt = item.Attempts >= o.MaxAttempts;
        // Each item is its own trace (the worker's loop is not a request); the message id ties it to the inbox.
        Activity.Current = null;
        using var span = AppTelemetry.Source.StartActivity("outbox." + item.Kind);
        span?.SetTag("outbox.id", item.Id);
        span?.SetTag("outbox.attempt", item.Attempts);
        if (item.MessageId is { } messageId)
        {
            span?.SetTag("message.id", messageId);
        }
        OutboxResult result;
        if (!byKind.TryGetValue(item.Kind, out var handler)
            && !(item.Kind.StartsWith("media:", StringComparison.Ordinal) && byKind.TryGetValue(Inbound.MediaFetchHandler.AnyKind, out handler)))
        {
            // Work nobody on this build handles (a connector not registered) is kept visible, not dropped.
            result = new OutboxResult.Failed($"No handler for outbox work '{item.Kind}'.");
        }
        else
        {
            try
            {
                result = await handler.HandleAsync(item, lastAttempt, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Outbox item {Id} ({Kind}) threw", item.Id, item.Kind);
                result = new OutboxResult.Retry(ex.Message);
            }
        }
        if (result is OutboxResult.Retry retry && lastAttempt)
        {
            result = new OutboxResult.Failed($"Gave up after {item.Attempts} attempts: {retry.Reason}");
        }
        var (state, next, error) = result switch
        {
            OutboxResult.Done => ("done", TimeSpan.Zero, (string?)null),
            OutboxResult.Retry r => ("pending", r.After ?? Backoff(item.Attempts), r.Reason),
            OutboxResult.Failed f => ("failed", TimeSpan.Zero, f.Reason),
            _ => throw new InvalidOperationException(),
        };
        var outcome = state switch { "done" => "sent", "pending" => "retry", _ => "failed" };
        span?.SetTag("outbox.result", outcome);
        if (error is not null)
        {
            span?.SetStatus(state == "failed" ? ActivityStatusCode.Error : ActivityStatusCode.Unset, error);
        }
        telemetry.OutboxSends.Add(1, new KeyValuePair<string, object?>("kind", item.Kind.Split(':')[0]), new("result", outcome));
        await using var connection = await db.OpenConnectionAsync(CancellationToken.None);
        var recorded = await connection.ExecuteAsync(new CommandDefinition("""
            update outbox set state = @state, next_attempt_at = now() + @next, last_error = @error, locked_until = null, updated_at = now()
            where id = @id and state = 'running' and attempts = @attempts
            """, new { id = item.Id, attempts = item.Attempts, state, next, error }));
        if (recorded == 0)
        {
            logger.LogWarning("Outbox item {Id} was taken over by another claim before attempt {Attempt} ended; its outcome is not recorded", item.Id, item.Attempts);
        }
    }

    /// <summary>
    /// Hands an item back when its node stops mid-run (a deploy), so another node takes it now instead of after the
    /// lease. Whether the provider got it is unknown either way; handlers are safe to run twice.
    /// </summary>
    public async Task ReleaseAsync(OutboxItem item)
    {
        await using var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync(new CommandDefinition("""
            update outbox set state = 'pending', next_attempt_at = now(), locked_until = null, updated_at = now()
            where id = @id and state = 'running' and attempts = @attempts
            """, new { id = item.Id, attempts = item.Attempts }));
    }

    /// <summary>Exponential from BaseDelay, capped, with full jitter in its upper half so retries of many items spread out.</summary>
    internal TimeSpan Backoff(int attempts)
    {
        var o = options.Value;
        var exp = o.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1));
        var capped = Math.Min(exp, o.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }
}
