using ContactCenter.Api.Features.Conversations;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// Coalesces `countersChanged` per user: a request marks users as changed; the first after a quiet spell is flushed at
/// once, and then at most every <see cref="Window"/> one query computes the counters of every marked user (<see cref="CountersQuery"/>) and pushes, per user, the
/// changes since the last value pushed to them (<see cref="CounterChain"/>, shared by the nodes). The values stay
/// exact: a request is made after its change committed, so the flush that follows it reads it; the chain keeps a
/// read older than the stored one from being pushed, on this node or another. Under a stream of inbound messages
/// this turns one counters query per message into one per window (see docs/benchmarks.md). Users taking the same
/// step share one send.
/// </summary>
/// <remarks>
/// The flush loop is owned: disposing (the container does it before it disposes the data source this depends on,
/// being created after it) cancels the loop and waits for it, so no flush touches a disposed data source at shutdown.
/// </remarks>
public sealed class CounterPushes(IHubContext<InboxHub, IInboxClient> hub, CountersQuery counters, CounterChain chain, ILogger<CounterPushes> logger)
    : ICurrentCounters, IAsyncDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(50);

    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private HashSet<long> pending = [];
    private Task loop = Task.CompletedTask;
    private bool running;
    private bool disposed;

    public void Request(IEnumerable<long> userIds)
    {
        lock (gate)
        {
            pending.UnionWith(userIds);
            if (disposed || running || pending.Count == 0)
            {
                return;
            }
            running = true;
            loop = Task.Run(() => FlushLoopAsync(first: true));
        }
    }

    /// <summary>
    /// For a push that sends these users' counters in its own frame (<see cref="InboxNotifier"/>): when no flush is under
    /// way, reads their counters now (and those of whoever else was marked) as the flush would, sends the others' steps,
    /// and returns the steps of <paramref name="userIds"/> for the caller to send; changes that come meanwhile or in the
    /// window after it wait for the window's end, as after a flush. When a flush is under way the users are marked for
    /// it, as <see cref="Request"/> does, and null is returned; null too when the read failed (logged; the users are
    /// marked again for the flush that follows, which pushes their steps on their own).
    /// </summary>
    public async Task<IReadOnlyDictionary<long, CountersChange>?> ReadForPushAsync(IReadOnlyCollection<long> userIds, CancellationToken ct)
    {
        HashSet<long> users;
        lock (gate)
        {
            if (disposed || running || userIds.Count == 0)
            {
                pending.UnionWith(userIds);
                return null;
            }
            running = true;
            (users, pending) = (pending, []);
            users.UnionWith(userIds);
        }
        try
        {
            var fresh = await counters.ForUsersAsync(users, ct);
            var steps = await chain.AdvanceAsync(fresh);
            var asked = userIds.ToHashSet();
            var advanced = steps.Where(s => s.Advanced).ToList();
            await SendAsync(advanced.Where(s => !asked.Contains(s.UserId)).ToList());
            RequestAgainWhereTimeMoved(fresh, steps);
            return advanced.Where(s => asked.Contains(s.UserId)).ToDictionary(s => s.UserId, s => s.Change);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            lock (gate)
            {
                if (!disposed)
                {
                    logger.LogWarning(ex, "Counters read for a push to {Users} users failed", users.Count);
                    // Read again by the flush that follows (the caller's token may have been what failed it, and these
                    // users are not the caller's alone).
                    pending.UnionWith(users);
                }
            }
            return null;
        }
        finally
        {
            lock (gate)
            {
                // As after the loop's first flush: what is marked during the next window goes out at its end, together,
                // so a stream of changes still costs one read per window, not one per push.
                if (disposed)
                {
                    running = false;
                }
                else
                {
                    loop = Task.Run(() => FlushLoopAsync(first: false));
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task last;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }
            disposed = true;
            last = loop;
        }
        await stopping.CancelAsync();
        await last;
        stopping.Dispose();
    }

    private async Task FlushLoopAsync(bool first)
    {
        var token = stopping.Token;
        // The first change after a quiet spell goes out at once (a lone message's badge does not wait for the window);
        // what arrives meanwhile waits one window, so a stream still costs one query per window.
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (!first)
                {
                    await Task.Delay(Window, token);
                }
                first = false;
            }
            catch (OperationCanceledException)
            {
                break;
            }
            HashSet<long> users;
            lock (gate)
            {
                (users, pending) = (pending, []);
            }
            try
            {
                if (users.Count > 0)
                {
                    await PushAsync(users, token);
                }
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                // Shutting down: clients re-read their counters through REST when they reconnect to another node.
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Committed is what counts: clients re-read their counters through REST on reconnect.
                logger.LogWarning(ex, "Counters push to {Users} users failed", users.Count);
            }
            lock (gate)
            {
                if (pending.Count == 0)
                {
                    running = false;
                    return;
                }
            }
        }
        lock (gate)
        {
            running = false;
        }
    }

    /// <summary>
    /// The caller's counters read now (`GET /api/counters`). The read advances the user's chain like a push does, and
    /// its step goes to the user's other tabs, so they stay on the chain; a newer value already on it is answered instead.
    /// </summary>
    public async Task<Counters> ReadAsync(long userId, CancellationToken ct)
    {
        var fresh = await counters.ForUsersAsync([userId], ct);
        if (fresh.Count == 0)
        {
            return Counters.Zero;
        }
        var steps = await chain.AdvanceAsync(fresh);
        await SendAsync(steps.Where(s => s.Advanced).ToList());
        RequestAgainWhereTimeMoved(fresh, steps);
        return steps[0].Current;
    }

    private async Task PushAsync(IReadOnlyCollection<long> userIds, CancellationToken ct)
    {
        var fresh = await counters.ForUsersAsync(userIds, ct);
        var steps = await chain.AdvanceAsync(fresh);
        // A superseded read sends nothing: whoever stored the newer value sends its step.
        await SendAsync(steps.Where(s => s.Advanced).ToList());
        RequestAgainWhereTimeMoved(fresh, steps);
    }

    // A read superseded by one with a newer snapshot but an older clock (another node's, or taken before a wait for the
    // pool) may have counted an activity as overdue that the stored one did not: read those users once more, after both.
    private void RequestAgainWhereTimeMoved(IReadOnlyDictionary<long, Counters> fresh, IReadOnlyList<ChainStep> steps)
    {
        var again = steps.Where(s => !s.Advanced && CountersVersion.ClockIsLater(fresh[s.UserId].Version, s.Current.Version)
            && !SameTimeCounts(fresh[s.UserId], s.Current)).Select(s => s.UserId).ToList();
        if (again.Count > 0)
        {
            Request(again);
        }
    }

    private static bool SameTimeCounts(Counters a, Counters b) =>
        a.OverdueActivities == b.OverdueActivities && a.ActivitiesDueToday == b.ActivitiesDueToday;

    // Users who take the same step from the same version (typically a channel's members after one message) share one send.
    private Task SendAsync(IReadOnlyCollection<ChainStep> steps) =>
        Task.WhenAll(steps.GroupBy(s => s.Change).Select(g =>
            hub.Clients.Groups(g.Select(s => HubGroups.User(s.UserId)).ToList()).countersChanged(g.Key)));
}
