using System.Collections.Concurrent;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactCenter.Api.Outbound;

/// <summary>
/// The outbox as a continuous pipeline on every node: claims due rows with FOR UPDATE SKIP LOCKED while earlier items
/// are still running, and runs up to <see cref="OutboxOptions.MaxConcurrency"/> at once (at most
/// <see cref="OutboxOptions.MaxPerChannel"/> of one channel), so one slow provider delays nobody else's sends.
/// The sends of one conversation still go one at a time, in order, across all nodes: the claim skips a send while an
/// earlier one of its conversation is due or running (database rule, see migration 1120). A claim is a lease that
/// this node renews while the item runs, so a send slower than the lease is not claimed twice; a node that dies
/// stops renewing and its items are claimed again when the lease runs out. NOTIFY cc_outbox is only a wake-up hint.
/// </summary>
public sealed class OutboxWorker(NpgsqlDataSource db, OutboxItemRunner runner, IOptions<OutboxOptions> options, ILogger<OutboxWorker> logger)
    : PollingWorker(db, logger)
{
    private sealed record Running(OutboxItem Item, long? ChannelId, Task Task);

    private sealed class Claimed
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public long? MessageId { get; init; }
        public string Payload { get; init; } = "{}";
        public int Attempts { get; init; }
        public long? ChannelId { get; init; }
    }

    private readonly ConcurrentDictionary<long, Running> running = new();
    private CancellationToken stopping;

    protected override string Name => "Outbox";

    protected override string NotifyChannel => "cc_outbox";

    protected override TimeSpan Interval => options.Value.PollInterval;

    /// <summary>The items this node is running now (ids).</summary>
    public IReadOnlyCollection<long> InFlight => [.. running.Keys];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        stopping = stoppingToken;
        var heartbeat = RenewLeasesAsync(stoppingToken);
        await base.ExecuteAsync(stoppingToken);
        await heartbeat;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Items end quickly once cancelled (their handlers take the stopping token); wait so none writes after shutdown.
        await Task.WhenAll(running.Values.Select(r => r.Task)).WaitAsync(cancellationToken);
    }

    /// <summary>A full claim means more may be due: claim again at once while slots are free.</summary>
    protected override async Task<bool> RoundAsync(CancellationToken ct)
    {
        var o = options.Value;
        var claimed = await ClaimAsync(ct);
        return claimed > 0 && claimed == Math.Min(o.BatchSize, o.MaxConcurrency) && running.Count < o.MaxConcurrency;
    }

    /// <summary>Claims what the free slots can take and starts it; returns how many items it claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct) => await ClaimAsync(ct);

    private async Task<int> ClaimAsync(CancellationToken ct)
    {
        var o = options.Value;
        var want = Math.Min(o.MaxConcurrency - running.Count, o.BatchSize);
        if (want <= 0)
        {
            return 0; // every slot is busy; a finishing item wakes the loop
        }
        var busy = running.Values.Where(r => r.ChannelId is not null).GroupBy(r => r.ChannelId!.Value)
            .Select(g => (Channel: g.Key, Count: g.Count())).ToList();
        // A scan a few times the wanted size, so items of a nearly full channel do not hide other channels' items.
        const string claim = """
            with scan as (
                select o.id, o.channel_id from outbox o
                where ((o.state = 'pending' and o.next_attempt_at <= now()) or (o.state = 'running' and o.locked_until < now()))
                  and (o.channel_id is null or o.channel_id <> all(@full))
                  and (o.conversation_id is null or not exists (
                        select 1 from outbox e
                        where e.conversation_id = o.conversation_id and e.id <> o.id and e.state in ('pending', 'running')
                          and ((e.state = 'running' and e.locked_until >= now())
                               or (e.id < o.id and (e.state = 'running' or e.next_attempt_at <= now())))))
                order by o.id limit @scanSize
                for update of o skip locked
            ), ranked as (
                select s.id, s.channel_id, row_number() over (partition by s.channel_id order by s.id)
                    + coalesce((select b.count from unnest(@busyChannels, @busyCounts) as b(channel_id, count) where b.channel_id = s.channel_id), 0) as load
                from scan s
            ), picked as (
                select id from ranked where channel_id is null or load <= @perChannel order by id limit @want
            )
            update outbox o set state = 'running', attempts = o.attempts + 1, locked_until = now() + @lease, updated_at = now()
            from picked where o.id = picked.id
            returning o.id, o.kind, o.message_id, o.payload::text as payload, o.attempts, o.channel_id
            """;
        List<Claimed> claimed;
        await using (var connection = await Db.OpenConnectionAsync(ct))
        {
            claimed = (await connection.QueryAsync<Claimed>(new CommandDefinition(claim, new
            {
                full = busy.Where(b => b.Count >= o.MaxPerChannel).Select(b => b.Channel).ToArray(),
                busyChannels = busy.Select(b => b.Channel).ToArray(),
                busyCounts = busy.Select(b => (long)b.Count).ToArray(),
                perChannel = (long)o.MaxPerChannel,
                scanSize = want * 4,
                want,
                lease = o.Lease,
            }, cancellationToken: ct))).OrderBy(c => c.Id).ToList();
        }
        foreach (var c in claimed)
        {
            Start(new OutboxItem(c.Id, c.Kind, c.MessageId, c.Payload, c.Attempts), c.ChannelId);
        }
        return claimed.Count;
    }

    private void Start(OutboxItem item, long? channelId)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Registered before it runs, so the slot and the lease renewal count it from the first moment.
        running[item.Id] = new Running(item, channelId, gate.Task);
        _ = Task.Run(async () =>
        {
            try
            {
                await runner.RunAsync(item, stopping);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                await ReleaseQuietlyAsync(item);
            }
            catch (Exception ex)
            {
                // Recording failed (the database is away): the lease runs out and the item is claimed again.
                logger.LogWarning(ex, "Outbox item {Id} ended without its outcome recorded", item.Id);
            }
            finally
            {
                running.TryRemove(item.Id, out _);
                gate.SetResult();
                Wake(); // a free slot, and maybe the next send of the same conversation
            }
        }, CancellationToken.None);
    }

    private async Task ReleaseQuietlyAsync(OutboxItem item)
    {
        try
        {
            await runner.ReleaseAsync(item);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            logger.LogDebug(ex, "Outbox item {Id} not released at shutdown; its lease will run out", item.Id);
        }
    }

    /// <summary>Every third of the lease, renews the lease of every item this node is running (fenced by attempt).</summary>
    private async Task RenewLeasesAsync(CancellationToken ct)
    {
        var lease = options.Value.Lease;
        using var timer = new PeriodicTimer(lease / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var items = running.Values.Select(r => r.Item).ToList();
                if (items.Count == 0)
                {
                    continue;
                }
                try
                {
                    await using var connection = await Db.OpenConnectionAsync(ct);
                    await connection.ExecuteAsync(new CommandDefinition("""
                        update outbox o set locked_until = now() + @lease
                        from unnest(@ids, @attempts) as h(id, attempts)
                        where o.id = h.id and o.attempts = h.attempts and o.state = 'running'
                        """, new { lease, ids = items.Select(i => i.Id).ToArray(), attempts = items.Select(i => i.Attempts).ToArray() }, cancellationToken: ct));
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Outbox leases of {Count} running items not renewed; trying again in {Period}", items.Count, lease / 3);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
