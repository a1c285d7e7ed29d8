using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// This node's hub connections and groups, in place of SignalR's in-memory manager (which does not let a caller reach a
/// group's connections): a send writes to each connection addressed, and a <see cref="HubFrame"/> writes all its events
/// to one connection before the next, so they leave together. Semantics as SignalR's: a connection may be in several
/// groups, a group send to it writes once per group it is in, a disconnected connection leaves every group; a message
/// is serialized once per send. Client results (`InvokeConnectionAsync`) are not kept: the app does not use them.
/// </summary>
internal sealed class LocalConnections
{
    private readonly ConcurrentDictionary<string, HubConnectionContext> connections = new(StringComparer.Ordinal);
    // A group is dropped when its last connection leaves (the web chat has one per visitor). Joining and leaving take one
    // lock (microseconds, at connect and disconnect), so a group is never dropped while a connection joins it; sends read
    // the groups without it.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubConnectionContext>> groups = new(StringComparer.Ordinal);
    private readonly Lock membership = new();

    public void Connected(HubConnectionContext connection) => connections[connection.ConnectionId] = connection;

    public void Disconnected(HubConnectionContext connection)
    {
        connections.TryRemove(connection.ConnectionId, out _);
        lock (membership)
        {
            // Enumerated in place (`Values` would copy every group into a list on each disconnect).
            foreach (var (name, group) in groups)
            {
                Leave(name, group, connection.ConnectionId);
            }
        }
    }

    public void Add(string connectionId, string groupName)
    {
        lock (membership)
        {
            // Gone already (its disconnect removed it before this lock): not left behind in the group.
            if (connections.TryGetValue(connectionId, out var connection))
            {
                groups.GetOrAdd(groupName, _ => new ConcurrentDictionary<string, HubConnectionContext>(StringComparer.Ordinal))[connectionId] = connection;
            }
        }
    }

    public void Remove(string connectionId, string groupName)
    {
        lock (membership)
        {
            if (groups.TryGetValue(groupName, out var group))
            {
                Leave(groupName, group, connectionId);
            }
        }
    }

    /// <summary>Groups held now (for tests: emptied groups are dropped).</summary>
    internal int GroupCount => groups.Count;

    /// <summary>Connections in a group now (for tests).</summary>
    internal int CountIn(string groupName) => groups.TryGetValue(groupName, out var group) ? group.Count : 0;

    public Task SendAllAsync(string method, object?[] args, IReadOnlyList<string>? excluded, CancellationToken ct)
    {
        var message = Message(method, args);
        List<Task>? pending = null;
        foreach (var (id, connection) in connections)
        {
            if (excluded is null || !excluded.Contains(id))
            {
                Write(connection.WriteAsync(message, ct), ref pending);
            }
        }
        return Done(pending);
    }

    public Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string method, object?[] args, CancellationToken ct)
    {
        var message = Message(method, args);
        List<Task>? pending = null;
        foreach (var id in connectionIds)
        {
            if (connections.TryGetValue(id, out var connection))
            {
                Write(connection.WriteAsync(message, ct), ref pending);
            }
        }
        return Done(pending);
    }

    /// <summary>By <see cref="HubConnectionContext.UserIdentifier"/>, every connection looked at (the app sends to user groups instead).</summary>
    public Task SendUsersAsync(IReadOnlyList<string> userIds, string method, object?[] args, CancellationToken ct)
    {
        var message = Message(method, args);
        List<Task>? pending = null;
        foreach (var (_, connection) in connections)
        {
            if (connection.UserIdentifier is { } user && userIds.Contains(user))
            {
                Write(connection.WriteAsync(message, ct), ref pending);
            }
        }
        return Done(pending);
    }

    public Task SendAsync(IReadOnlyList<string> groupNames, string method, object?[] args, IReadOnlyList<string>? excluded, CancellationToken ct)
    {
        var message = Message(method, args);
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
        return Done(pending);
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
        return Done(pending);
    }

    // Under the membership lock.
    private void Leave(string groupName, ConcurrentDictionary<string, HubConnectionContext> group, string connectionId)
    {
        if (group.TryRemove(connectionId, out _) && group.IsEmpty)
        {
            groups.TryRemove(groupName, out _);
        }
    }

    private static SerializedHubMessage Message(string method, object?[] args) =>
        new(new Microsoft.AspNetCore.SignalR.Protocol.InvocationMessage(method, args));

    private static Task Done(List<Task>? pending) => pending is null ? Task.CompletedTask : Task.WhenAll(pending);

    // A write that completed at once (the usual case: the bytes went into the connection's pipe) costs no task.
    private static void Write(ValueTask write, ref List<Task>? pending)
    {
        if (!write.IsCompletedSuccessfully)
        {
            (pending ??= []).Add(write.AsTask());
        }
    }
}
