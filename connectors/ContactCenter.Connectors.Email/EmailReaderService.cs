using ContactCenter.Core.Net;
using System.Data.Common;
using System.Text.Json.Nodes;
using ContactCenter.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Connectors.Email;

/// <summary>
/// On every node: finds the enabled email channels and runs a <see cref="MailboxReader"/> for each whose mailbox lease
/// it can take (<see cref="IEmailStore.TryLeaseMailboxAsync"/>), so each mailbox is read by exactly one node and a dead
/// node's mailboxes are taken over at the next scan. Readers are spread: every scan is a heartbeat in email_reader_nodes, and a node reads
/// at most ceil(channels / live nodes) mailboxes, handing its latest ones back when another node joins.
/// A changed or disabled channel restarts or stops its reader.
/// </summary>
public sealed class EmailReaderService(
    IEmailStore store,
    IInboundPipeline pipeline,
    IUnhandledInboundSink unhandled,
    IMessageStatusSink statuses,
    IOptions<EmailOptions> options,
    OutboundGuard guard,
    ILoggerFactory loggers) : BackgroundService
{
    private sealed record Running(string Settings, IMailboxLease Lease, CancellationTokenSource Stop, Task Task, long Order);

    private readonly Dictionary<long, Running> readers = [];
    private readonly string nodeId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private long started;
    private readonly SemaphoreSlim wake = new(0);
    private readonly ILogger logger = loggers.CreateLogger<EmailReaderService>();

    /// <summary>Channel ids this node reads right now.</summary>
    public IReadOnlyCollection<long> Reading
    {
        get
        {
            lock (readers)
            {
                return readers.Keys.ToList();
            }
        }
    }

    /// <summary>Makes the next scan happen now (a channel was created or changed).</summary>
    public void Wake() => wake.Release();

    private long scans;

    /// <summary>Scans ended since start (done or failed).</summary>
    public long CompletedScans => Interlocked.Read(ref scans);

    /// <summary>
    /// Waits until <paramref name="count"/> more scans have ended, waking the loop meanwhile: with a count of 2 a whole scan
    /// began after the call. What a test awaits before it asserts that the readers did NOT change (instead of a sleep).
    /// </summary>
    public async Task ScansAsync(int count, CancellationToken ct)
    {
        var target = CompletedScans + count;
        while (CompletedScans < target)
        {
            if (wake.CurrentCount == 0)
            {
                Wake(); // one pending wake-up at a time: the loop must not run scan after scan once this returns
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ReadMailboxes)
        {
            return;
        }
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ScanAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Email reader scan failed");
                }
                Interlocked.Increment(ref scans);
                try
                {
                    await wake.WaitAsync(options.Value.ScanInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            List<long> ids;
            lock (readers)
            {
                ids = readers.Keys.ToList();
            }
            foreach (var id in ids)
            {
                await StopAsync(id);
            }
            try
            {
                await store.LeaveAsync(nodeId, CancellationToken.None);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException or ObjectDisposedException)
            {
                logger.LogDebug(ex, "Could not remove this node from email_reader_nodes; it expires after {Timeout}", options.Value.NodeTimeout);
            }
        }
    }

    private async Task ScanAsync(CancellationToken ct)
    {
        var wanted = (await store.ListEnabledChannelsAsync(ct)).ToDictionary(c => c.Id);
        List<(long Id, Running Reader)> current;
        lock (readers)
        {
            current = readers.Select(r => (r.Key, r.Value)).ToList();
        }
        foreach (var (id, reader) in current)
        {
            var gone = !wanted.TryGetValue(id, out var row) || row.Settings != reader.Settings;
            if (gone || reader.Task.IsCompleted || !await reader.Lease.IsAliveAsync())
            {
                await StopAsync(id);
            }
        }
        // This node's fair share; over it (another node joined), the mailboxes taken last go back for the others to take.
        var nodes = await store.HeartbeatAsync(nodeId, options.Value.NodeTimeout, ct);
        var quota = (wanted.Count + nodes - 1) / Math.Max(1, nodes);
        List<long> extra;
        lock (readers)
        {
            extra = readers.OrderBy(r => r.Value.Order).Skip(quota).Select(r => r.Key).ToList();
        }
        foreach (var id in extra)
        {
            logger.LogInformation("Email channel {ChannelId}: handed back for another node ({Nodes} nodes share {Channels} mailboxes)", id, nodes, wanted.Count);
            await StopAsync(id);
        }
        foreach (var row in wanted.Values)
        {
            bool running;
            lock (readers)
            {
                running = readers.ContainsKey(row.Id);
                if (!running && readers.Count >= quota)
                {
                    return;
                }
            }
            if (running)
            {
                continue;
            }
            var lease = await store.TryLeaseMailboxAsync(row.Id, ct);
            if (lease is null)
            {
                continue; // another node reads it
            }
            var channel = new ChannelInfo(row.Id, ChannelKinds.Email, "", true, JsonNode.Parse(row.Settings)!.AsObject(), null);
            var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var reader = new MailboxReader(channel, lease, store, pipeline, unhandled, statuses, options.Value, guard, loggers.CreateLogger<MailboxReader>());
            var task = Task.Run(() => reader.RunAsync(stop.Token), CancellationToken.None);
            lock (readers)
            {
                readers[row.Id] = new Running(row.Settings, lease, stop, task, ++started);
            }
            logger.LogInformation("Email channel {ChannelId}: reading its mailbox on this node", row.Id);
        }
    }

    private async Task StopAsync(long id)
    {
        Running? reader;
        lock (readers)
        {
            if (!readers.Remove(id, out reader))
            {
                return;
            }
        }
        await reader.Stop.CancelAsync();
        try
        {
            await reader.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Email channel {ChannelId}: reader did not stop cleanly", id);
        }
        await reader.Lease.DisposeAsync();
        reader.Stop.Dispose();
    }
}
