using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// This node's hub groups (kept here instead of in SignalR's in-memory manager, which does not let a caller reach a
/// group's connections): a send writes to each connection of its groups, and a <see cref="HubFrame"/> writes all its
/// events to one connection before the next, so they leave together. Semantics as SignalR's: a connection may be in
/// several groups, a group send to it writes once per group it is in, a disconnected connection leaves every group.
/// </summary>
internal sealed class LocalGroups
{
    private readonly ConcurrentDictionary<string, HubConnectionContext> connections = new(StringComparer.Ordinal);
    // Groups are not dropped when they empty (a user's group comes back with their next tab): dropping one races with an
    // add into it, which SignalR's manager settles with a compare-and-remove; a group per user who connected is small.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubConnectionContext>> groups = new(StringComparer.Ordinal);

    public void Connected(HubConnectionContext connection) => connections[connection.ConnectionId] = connection;

    public void Disconnected(HubConnectionContext connection)
    {
        connections.TryRemove(connection.ConnectionId, out _);
        // Enumerated in place (`Values` would copy every group into a list on each disconnect).
        foreach (var (_, group) in groups)
        {
            group.TryRemove(connection.ConnectionId, out _);
        }
    }

    public void Add(string connectionId, string groupName)
    {
        if (!connections.TryGetValue(connectionId, out var connection))
        {
            return;
        }
        var group = groups.GetOrAdd(groupName, _ => new ConcurrentDictionary<string, HubConnectionContext>(StringComparer.Ordinal));
        group[connectionId] = connection;
        // Disconnected meanwhile (its removal ran before this add): not left behind in the group.
        if (!connections.ContainsKey(connectionId))
        {
            group.TryRemove(connectionId, out _);
        }
    }

    public void Remove(string connectionId, string groupName)
    {
        if (groups.TryGetValue(groupName, out var group))
        {
            group.TryRemove(connectionId, out _);
        }
    }

    public Task SendAsync(IReadOnlyList<string> groupNames, string method, object?[] args, IReadOnlyList<string>? excluded, CancellationToken ct)
    {
        var message = new SerializedHubMessage(new Microsoft.AspNetCore.SignalR.Protocol.InvocationMessage(method, args));
        List<Task>? pending = null;
        foreach (var name in groupNames)
        {
            if (!groups.TryGetValue(name, out var group))
            {
                continue;
            }
            foreach (var (id, connection) in group)
            {
                if (excluded is null || !excluded.Contains(id))
                {
                    Write(connection.WriteAsync(message, ct), ref pending);
                }
            }
        }
        return pending is null ? Task.CompletedTask : Task.WhenAll(pending);
    }

    public Task SendAsync(IReadOnlyList<HubFrame> frames, CancellationToken ct)
    {
        List<Task>? pending = null;
        foreach (var frame in frames)
        {
            var serialized = new HubFrame.Serialized(frame.Invocations);
            foreach (var name in frame.Groups)
            {
                if (!groups.TryGetValue(name, out var group))
                {
                    continue;
                }
                foreach (var (_, connection) in group)
                {
                    Write(connection.WriteAsync(serialized.For(connection.Protocol), ct), ref pending);
                }
            }
        }
        return pending is null ? Task.CompletedTask : Task.WhenAll(pending);
    }

    // A write that completed at once (the usual case: the bytes went into the connection's pipe) costs no task.
    private static void Write(ValueTask write, ref List<Task>? pending)
    {
        if (!write.IsCompletedSuccessfully)
        {
            (pending ??= []).Add(write.AsTask());
        }
    }
}
