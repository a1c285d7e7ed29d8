using ContactCenter.Api.Features.Conversations;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// Coalesces `countersChanged` per user: a request marks users as changed, and at most every <see cref="Window"/>
/// one query computes the counters of every marked user (<see cref="CountersQuery"/>) and pushes them. The values
/// stay exact: a request is made after its change committed, so the flush that follows it reads it; flushes run one
/// at a time, so an older value never overtakes a newer one. Under a stream of inbound messages this turns one
/// counters query per message into one per window (see docs/benchmarks.md). Users with equal counters share one send.
/// </summary>
/// <remarks>
/// The flush loop is owned: disposing (the container does it before it disposes the data source this depends on,
/// being created after it) cancels the loop and waits for it, so no flush touches a disposed data source at shutdown.
/// </remarks>
public sealed class CounterPushes(IHubContext<InboxHub, IInboxClient> hub, CountersQuery counters, ILogger<CounterPushes> logger)
    : IAsyncDisposable
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
            loop = Task.Run(FlushLoopAsync);
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

    private async Task FlushLoopAsync()
    {
        var token = stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Window, token);
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
                await PushAsync(users, token);
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

    private async Task PushAsync(IReadOnlyCollection<long> userIds, CancellationToken ct)
    {
        var values = await counters.ForUsersAsync(userIds, ct);
        await Task.WhenAll(values.GroupBy(v => v.Value).Select(g =>
            hub.Clients.Groups(g.Select(v => HubGroups.User(v.Key)).ToList()).countersChanged(g.Key)));
    }
}
