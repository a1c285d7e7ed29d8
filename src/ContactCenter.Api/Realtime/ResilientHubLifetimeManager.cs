using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// The Redis backplane with a local fallback. Connections and groups are tracked by both the Redis manager and
/// an in-memory one; sends go through Redis (which also delivers to this node's clients), and when Redis cannot
/// take them (it fails fast while disconnected) they go to this node's own clients instead. So a node keeps
/// pushing to its own clients during a Redis outage, and cross-node pushes resume when Redis is back
/// (BackplaneWatch then tells clients to resync what they missed).
/// Group sends take a shorter way (<see cref="GroupSends"/>): the Redis manager publishes one message per group,
/// so a push to 1,000 managers' groups was 1,000 publishes that every node had to read back; here the node
/// delivers to its own connections at once and publishes ONE message naming all the groups, which every other
/// node delivers to its own connections.
/// </summary>
public sealed class ResilientHubLifetimeManager<THub>(IServiceProvider services, ILogger<ResilientHubLifetimeManager<THub>> logger) : HubLifetimeManager<THub>
    where THub : Hub
{
    private readonly RedisHubLifetimeManager<THub> redis = ActivatorUtilities.CreateInstance<RedisHubLifetimeManager<THub>>(services);
    private readonly DefaultHubLifetimeManager<THub> local = ActivatorUtilities.CreateInstance<DefaultHubLifetimeManager<THub>>(services);
    private readonly GroupSends groupSends = new(services, typeof(THub).FullName!, logger);

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        groupSends.Start(local);
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
        // Groups live on the connection's own node only: group sends reach other nodes through GroupSends.
        await local.AddToGroupAsync(connectionId, groupName, cancellationToken);
    }

    public override async Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await local.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);
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
        SendGroupsAsync([groupName], methodName, args, cancellationToken);

    public override async Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        groupSends.Publish(groupNames, methodName, args, excluded: null);
        await local.SendGroupsAsync(groupNames, methodName, args, cancellationToken);
    }

    public override async Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        groupSends.Publish([groupName], methodName, args, excludedConnectionIds);
        await local.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken);
    }

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

    /// <summary>
    /// One Redis channel per hub carries group sends between nodes: {node, groups, method, args as JSON, excluded
    /// connections}. A node skips its own messages (it delivered them locally already). Published through the app's
    /// shared Redis connection (the one BackplaneWatch watches); while Redis is away a send reaches this node only.
    /// </summary>
    private sealed class GroupSends(IServiceProvider services, string hubName, ILogger logger)
    {
        private sealed record Message(string Node, IReadOnlyList<string> Groups, string Method, JsonElement[] Args, IReadOnlyList<string>? Excluded);

        private readonly IConnectionMultiplexer? mux = services.GetService<IConnectionMultiplexer>();
        private readonly string node = Guid.NewGuid().ToString("N");
        private readonly RedisChannel channel = RedisChannel.Literal(
            $"{services.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration.ChannelPrefix}:{hubName}:group-sends");
        private readonly JsonSerializerOptions json = services.GetRequiredService<IOptions<JsonHubProtocolOptions>>().Value.PayloadSerializerOptions;
        private int started;

        /// <summary>Subscribes once (the multiplexer re-subscribes by itself after a reconnect); a failed attempt is retried.</summary>
        public void Start(DefaultHubLifetimeManager<THub> local)
        {
            if (mux is null || Interlocked.Exchange(ref started, 1) == 1)
            {
                return;
            }
            ChannelMessageQueue queue;
            try
            {
                queue = mux.GetSubscriber().Subscribe(channel);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning("Backplane group sends not subscribed yet: {Error}", ex.Message);
                Volatile.Write(ref started, 0);
                // Tried again shortly (and by the next connection): clients already here must not wait for a newcomer.
                _ = Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(_ => Start(local), TaskScheduler.Default);
                return;
            }
            // Messages are handled one at a time, in the order they were published.
            queue.OnMessage(async received =>
            {
                try
                {
                    var message = JsonSerializer.Deserialize<Message>((byte[])received.Message!, json)!;
                    if (message.Node == node)
                    {
                        return;
                    }
                    var args = message.Args.Cast<object?>().ToArray();
                    await (message.Excluded is { Count: > 0 } excluded
                        ? local.SendGroupExceptAsync(message.Groups[0], message.Method, args, excluded)
                        : local.SendGroupsAsync(message.Groups, message.Method, args));
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    logger.LogWarning(ex, "A group send from another node could not be delivered");
                }
            });
        }

        /// <summary>
        /// Fire and forget: one connection keeps the publishes in order, and a push does not wait for Redis. While Redis
        /// is away nothing is queued: other nodes' clients are told to resync when it is back (BackplaneWatch).
        /// </summary>
        public void Publish(IReadOnlyList<string> groups, string method, object?[] args, IReadOnlyList<string>? excluded)
        {
            if (mux is null || !mux.IsConnected)
            {
                return;
            }
            try
            {
                var payload = JsonSerializer.SerializeToUtf8Bytes(new Message(node, groups,
                    method, args.Select(a => JsonSerializer.SerializeToElement(a, a?.GetType() ?? typeof(object), json)).ToArray(), excluded), json);
                mux.GetSubscriber().Publish(channel, payload, CommandFlags.FireAndForget);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogDebug("Backplane unavailable ({Error}); pushed to this node's clients only", ex.Message);
            }
        }
    }
}
