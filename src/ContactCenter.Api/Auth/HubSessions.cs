using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Api.Auth;

/// <summary>
/// This node's open hub connections by user, so a revoked user's connections can be closed: SignalR checks the token
/// only when a connection opens, and a WebSocket may stay open for days.
/// </summary>
public sealed class HubSessions
{
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<string, HubCallerContext>> byUser = new();

    public void Add(long userId, HubCallerContext context) =>
        byUser.GetOrAdd(userId, _ => new ConcurrentDictionary<string, HubCallerContext>())[context.ConnectionId] = context;

    public void Remove(long userId, string connectionId)
    {
        if (byUser.TryGetValue(userId, out var connections))
        {
            connections.TryRemove(connectionId, out _);
        }
    }

    /// <returns>How many connections were closed.</returns>
    public int AbortAll(long userId)
    {
        if (!byUser.TryRemove(userId, out var connections))
        {
            return 0;
        }
        foreach (var context in connections.Values)
        {
            context.Abort();
        }
        return connections.Count;
    }

    /// <summary>Every open connection of this node with its user, for the sweep that re-checks their stamps.</summary>
    public IReadOnlyList<(long UserId, HubCallerContext Context)> Snapshot() =>
        [.. byUser.SelectMany(u => u.Value.Values.Select(c => (u.Key, c)))];

    public void Abort(long userId, HubCallerContext context)
    {
        Remove(userId, context.ConnectionId);
        context.Abort();
    }
}
