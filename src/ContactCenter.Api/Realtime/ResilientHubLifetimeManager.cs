using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// The Redis backplane, kept to what the app sends. Connections and groups live on their own node only, in memory
/// (<see cref="LocalConnections"/>); every send is delivered to this node's clients at once and published as ONE message on one Redis
/// channel per hub (<see cref="BackplaneSends"/>), which every other node delivers to its own clients. So a push to
/// 1,000 managers' groups is one publish, not 1,000, and a connection costs no Redis subscription: the stock Redis
/// manager subscribed two channels per connection (its own and its user's) and kept a second store of connections,
/// which is what made an idle connection here cost more than the bare hub's (docs/benchmarks.md).
/// While Redis is away a send reaches this node's clients only; BackplaneWatch tells every client to resync when it
/// is back, and BackplaneSends tells this node's clients when its subscription succeeds only after a failed attempt.
/// Client results (`InvokeConnectionAsync`) are not used by the app and not supported across nodes.
/// The connections and groups are the app's own rather than SignalR's in-memory manager's, so a <see cref="HubFrame"/>
/// can write several events to a connection together. Without Redis (no backplane) the same manager serves the one node.
/// </summary>
public sealed class ResilientHubLifetimeManager<THub>(IServiceProvider services, ILogger<ResilientHubLifetimeManager<THub>> logger) : HubLifetimeManager<THub>
    where THub : Hub
{
    private readonly LocalConnections local = new();
    private readonly BackplaneSends<THub> sends = new(services, typeof(THub).FullName!, logger);

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        sends.Start(this);
        local.Connected(connection);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        local.Disconnected(connection);
        return Task.CompletedTask;
    }

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        local.Add(connectionId, groupName);
        return Task.CompletedTask;
    }

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        local.Remove(connectionId, groupName);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Each frame's events to every connection of its groups, written to one connection together (<see cref="HubFrame"/>),
    /// here and, as one backplane message, on the other nodes.
    /// </summary>
    public Task SendFramesAsync(IReadOnlyList<HubFrame> frames, CancellationToken cancellationToken = default)
    {
        sends.Publish(frames);
        return local.SendAsync(frames, cancellationToken);
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        sends.Publish(BackplaneSend.All, [], methodName, args, excluded: null);
        return local.SendAllAsync(methodName, args, excluded: null, cancellationToken);
    }

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        sends.Publish(BackplaneSend.All, [], methodName, args, excludedConnectionIds);
        return local.SendAllAsync(methodName, args, excludedConnectionIds, cancellationToken);
    }

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendConnectionsAsync([connectionId], methodName, args, cancellationToken);

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        sends.Publish(BackplaneSend.Connections, connectionIds, methodName, args, excluded: null);
        return local.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken);
    }

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendGroupsAsync([groupName], methodName, args, cancellationToken);

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        sends.Publish(BackplaneSend.Groups, groupNames, methodName, args, excluded: null);
        return local.SendAsync(groupNames, methodName, args, excluded: null, cancellationToken);
    }

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        sends.Publish(BackplaneSend.Groups, [groupName], methodName, args, excludedConnectionIds);
        return local.SendAsync([groupName], methodName, args, excludedConnectionIds, cancellationToken);
    }

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendUsersAsync([userId], methodName, args, cancellationToken);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        sends.Publish(BackplaneSend.Users, userIds, methodName, args, excluded: null);
        return local.SendUsersAsync(userIds, methodName, args, cancellationToken);
    }

    /// <summary>To this node's connections only, not published: what only this node's clients may have missed.</summary>
    internal Task SendLocalAllAsync(string methodName, object?[] args) => local.SendAllAsync(methodName, args, excluded: null, default);

    /// <summary>What another node sent, delivered to this node's connections (<see cref="BackplaneSends{THub}"/>).</summary>
    internal Task DeliverAsync(BackplaneMessage message)
    {
        var args = message.Args.Cast<object?>().ToArray();
        var excluded = message.Excluded is { Count: > 0 } e ? e : null;
        return message.Kind switch
        {
            BackplaneSend.Frames => local.SendAsync(message.Frames!.Select(f =>
                new HubFrame(f.Groups, f.Invocations.Select(i => new HubInvocation(i.Method, i.Arg)).ToList())).ToList(), default),
            BackplaneSend.All => local.SendAllAsync(message.Method, args, excluded, default),
            BackplaneSend.Connections => local.SendConnectionsAsync(message.Names, message.Method, args, default),
            BackplaneSend.Users => local.SendUsersAsync(message.Names, message.Method, args, default),
            _ => local.SendAsync(message.Names, message.Method, args, excluded, default),
        };
    }
}
