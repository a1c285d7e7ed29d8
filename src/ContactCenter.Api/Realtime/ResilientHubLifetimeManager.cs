using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using StackExchange.Redis;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// The Redis backplane with a local fallback. Connections and groups are tracked by both the Redis manager and
/// an in-memory one; sends go through Redis (which also delivers to this node's clients), and when Redis cannot
/// take them (it fails fast while disconnected) they go to this node's own clients instead. So a node keeps
/// pushing to its own clients during a Redis outage, and cross-node pushes resume when Redis is back
/// (BackplaneWatch then tells clients to resync what they missed).
/// </summary>
public sealed class ResilientHubLifetimeManager<THub>(IServiceProvider services, ILogger<ResilientHubLifetimeManager<THub>> logger) : HubLifetimeManager<THub>
    where THub : Hub
{
    private readonly RedisHubLifetimeManager<THub> redis = ActivatorUtilities.CreateInstance<RedisHubLifetimeManager<THub>>(services);
    private readonly DefaultHubLifetimeManager<THub> local = ActivatorUtilities.CreateInstance<DefaultHubLifetimeManager<THub>>(services);

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await local.OnConnectedAsync(connection);
        await TryRedis(() => redis.OnConnectedAsync(connection), "connect");
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        await local.OnDisconnectedAsync(connection);
        await TryRedis(() => redis.OnDisconnectedAsync(connection), "disconnect");
    }

    public override async Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await local.AddToGroupAsync(connectionId, groupName, cancellationToken);
        await TryRedis(() => redis.AddToGroupAsync(connectionId, groupName, cancellationToken), "group join");
    }

    public override async Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await local.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);
        await TryRedis(() => redis.RemoveFromGroupAsync(connectionId, groupName, cancellationToken), "group leave");
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Send(() => redis.SendAllAsync(methodName, args, cancellationToken), () => local.SendAllAsync(methodName, args, cancellationToken));

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        Send(() => redis.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken), () => local.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken));

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Send(() => redis.SendConnectionAsync(connectionId, methodName, args, cancellationToken), () => local.SendConnectionAsync(connectionId, methodName, args, cancellationToken));

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Send(() => redis.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken), () => local.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken));

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Send(() => redis.SendGroupAsync(groupName, methodName, args, cancellationToken), () => local.SendGroupAsync(groupName, methodName, args, cancellationToken));

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Send(() => redis.SendGroupsAsync(groupNames, methodName, args, cancellationToken), () => local.SendGroupsAsync(groupNames, methodName, args, cancellationToken));

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        Send(() => redis.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken), () => local.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken));

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Send(() => redis.SendUserAsync(userId, methodName, args, cancellationToken), () => local.SendUserAsync(userId, methodName, args, cancellationToken));

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Send(() => redis.SendUsersAsync(userIds, methodName, args, cancellationToken), () => local.SendUsersAsync(userIds, methodName, args, cancellationToken));

    private async Task Send(Func<Task> throughRedis, Func<Task> localOnly)
    {
        try
        {
            await throughRedis();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogDebug("Backplane unavailable ({Error}); pushing to this node's clients only", ex.Message);
            await localOnly();
        }
    }

    private async Task TryRedis(Func<Task> action, string what)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Backplane {What} not recorded in Redis: {Error}", what, ex.Message);
        }
    }
}
