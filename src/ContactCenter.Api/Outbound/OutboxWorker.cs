using System.Diagnostics;
using ContactCenter.Api.Database;
using ContactCenter.Api.Infrastructure;
using ContactCenter.Api.Infrastructure.Telemetry;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactCenter.Api.Outbound;

public sealed record OutboxOptions
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);
    public int MaxAttempts { get; init; } = 8;
    public int BatchSize { get; init; } = 20;
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);
}

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

/// <summary>
/// Claims due outbox rows with FOR UPDATE SKIP LOCKED (so any number of nodes share the work), runs their handler,
/// and records done / retry with backoff and jitter / failed. A claim is a lease: a node that dies mid-item
/// releases it when the lease runs out. NOTIFY cc_outbox is only a wake-up hint; polling is the guarantee.
/// </summary>
public sealed class OutboxWorker(NpgsqlDataSource db, IEnumerable<IOutboxHandler> handlers, IOptions<OutboxOptions> options, AppTelemetry telemetry, ILogger<OutboxWorker> logger) : BackgroundService
{
    private readonly Dictionary<string, IOutboxHandler> byKind = handlers.ToDictionary(h => h.Kind);
    private readonly SemaphoreSlim wake = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ = ListenAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            int claimed;
            try
            {
                claimed = await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (ErrorHandling.IsStorageDown(ex))
                {
                    logger.LogWarning("Outbox paused: storage unavailable ({Error})", ex.Message);
                }
                else
                {
                    logger.LogError(ex, "Outbox round failed");
                }
                claimed = 0;
            }
            if (claimed == 0)
            {
                try
                {
                    await wake.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims and runs one batch; returns how many items it claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        const string claim = """
            update outbox set state = 'running', attempts = attempts + 1, locked_until = now() + @lease, updated_at = now()
            where id in (
                select id from outbox
                where (state = 'pending' and next_attempt_at <= now()) or (state = 'running' and locked_until < now())
                order by id limit @batch
                for update skip locked)
            returning id, kind, message_id, payload::text as payload, attempts
            """;
        List<OutboxItem> items;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            items = (await connection.QueryAsync<OutboxItem>(new CommandDefinition(claim, new { lease = o.Lease, batch = o.BatchSize }, cancellationToken: ct)))
                .OrderBy(i => i.Id).ToList();
        }
        foreach (var item in items)
        {
            await RunItemAsync(item, ct);
        }
        return items.Count;
    }

    private async Task RunItemAsync(OutboxItem item, CancellationToken ct)
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
        await connection.ExecuteAsync(new CommandDefinition("""
            update outbox set state = @state, next_attempt_at = now() + @next, last_error = @error, locked_until = null, updated_at = now()
            where id = @id
            """, new { id = item.Id, state, next, error }));
    }

    /// <summary>Exponential from BaseDelay, capped, with full jitter in its upper half so retries of many items spread out.</summary>
    internal TimeSpan Backoff(int attempts)
    {
        var o = options.Value;
        var exp = o.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1));
        var capped = Math.Min(exp, o.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await db.ListenAsync("cc_outbox", () => wake.Release(), ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogDebug(ex, "Outbox listener lost its connection; polling until it is back");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
