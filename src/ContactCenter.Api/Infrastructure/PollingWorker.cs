using ContactCenter.Api.Database;
using Npgsql;

namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// The one skeleton of the app's database-polling loops (outbox, CRM scheduler, SLA monitor): run a round; when it
/// says there is no more work right away, wait for a wake-up (NOTIFY on <see cref="NotifyChannel"/>, or
/// <see cref="Wake"/> from inside the process) or the interval, whichever comes first. A round that fails is logged
/// (a warning while the database is away) and the loop waits the interval before trying again. NOTIFY is only a
/// hint: the interval is the guarantee, so a lost listener connection costs latency, never work.
/// </summary>
public abstract class PollingWorker(NpgsqlDataSource db, ILogger logger) : BackgroundService
{
    /// <summary>The app's data source, for the derived loop's queries (passed once, to the base).</summary>
    protected NpgsqlDataSource Db => db;

    // At most one pending wake-up: a burst of NOTIFYs (one per reply) is one more round, not one round each.
    private readonly SemaphoreSlim wake = new(0, 1);

    private long rounds;

    /// <summary>Rounds ended since start (worked, idle or failed).</summary>
    public long CompletedRounds => Interlocked.Read(ref rounds);

    /// <summary>
    /// Waits until <paramref name="count"/> more rounds have ended, waking the loop so that it does not sleep its interval
    /// meanwhile. With a count of 2, a whole round began after the call: what a test awaits before it asserts that
    /// something did NOT happen (a liveness marker instead of a sleep).
    /// </summary>
    public async Task RoundsAsync(int count, CancellationToken ct)
    {
        var target = CompletedRounds + count;
        while (CompletedRounds < target)
        {
            Wake();
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }
    }

    /// <summary>Names the loop in its log lines ("Outbox", "CRM scheduler", "SLA scan").</summary>
    protected abstract string Name { get; }

    /// <summary>The NOTIFY channel that wakes the loop early; null for a loop driven by the timer alone.</summary>
    protected virtual string? NotifyChannel => null;

    /// <summary>How long to wait after an idle or failed round.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>The clock the wait runs on (the SLA monitor's follows the app's TimeProvider; the others real time).</summary>
    protected virtual TimeProvider WaitClock => TimeProvider.System;

    /// <summary>One round; true when there may be more work right away (the loop runs again without waiting).</summary>
    protected abstract Task<bool> RoundAsync(CancellationToken ct);

    /// <summary>Ends the current wait early (new work, or a slot freed).</summary>
    protected void Wake()
    {
        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (NotifyChannel is { } channel)
        {
            _ = ListenAsync(channel, stoppingToken);
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var more = false;
            try
            {
                more = await RoundAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (ErrorHandling.IsStorageDown(ex))
                {
                    logger.LogWarning("{Worker} paused: storage unavailable ({Error})", Name, ex.Message);
                }
                else
                {
                    logger.LogError(ex, "{Worker} round failed", Name);
                }
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            Interlocked.Increment(ref rounds);
            if (!more && !await WaitAsync(stoppingToken))
            {
                return;
            }
        }
    }

    /// <summary>Waits for a wake-up or the interval; false when the app is stopping.</summary>
    private async Task<bool> WaitAsync(CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var woken = wake.WaitAsync(cts.Token);
        var timer = Task.Delay(Interval, WaitClock, cts.Token);
        await Task.WhenAny(woken, timer);
        await cts.CancelAsync();
        return !ct.IsCancellationRequested;
    }

    private async Task ListenAsync(string channel, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await db.ListenAsync(channel, Wake, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "{Worker} listener lost its connection; polling until it is back", Name);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
