using ContactCenter.Api.Features.Conversations;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// Coalesces `countersChanged` per user: a request marks users as changed, and at most every <see cref="Window"/>
/// one query computes the counters of every marked user (<see cref="CountersQuery"/>) and pushes them. The values
/// stay exact: a request is made after its change committed, so the flush that follows it reads it; flushes run one
/// at a time, so an older value never overtakes a newer one. Under a stream of inbound messages this turns one
/// counters query per message into one per window (see README, Benchmarks). Users with equal counters share one send.
/// </summary>
public sealed class CounterPushes(IHubContext<InboxHub, IInboxClient> hub, CountersQuery counters, ILogger<CounterPushes> logger)
{
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(50);

    private readonly Lock gate = new();
    private HashSet<long> pending = [];
    private bool running;

    public void Request(IEnumerable<long> userIds)
    {
        lock (gate)
        {
            pending.UnionWith(userIds);
            if (running || pending.Count == 0)
            {
                return;
            }
            running = true;
        }
        _ = Task.Run(FlushLoopAsync);
    }

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            await Task.Delay(Window);
            HashSet<long> users;
            lock (gate)
            {
                (users, pending) = (pending, []);
            }
            try
            {
                await PushAsync(users);
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
    }

    private async Task PushAsync(IReadOnlyCollection<long> userIds)
    {
        var values = await counters.ForUsersAsync(userIds, CancellationToken.None);
        await Task.WhenAll(values.GroupBy(v => v.Value).Select(g =>
            hub.Clients.Groups(g.Select(v => HubGroups.User(v.Key)).ToList()).countersChanged(g.Key)));
    }
}
