using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace ContactCenter.Api.Realtime;

/// <summary>Whom a send published on the backplane is for: <see cref="BackplaneMessage.Names"/> are groups, connection ids or user ids.</summary>
internal enum BackplaneSend
{
    Groups,
    All,
    Connections,
    Users,
}

/// <summary>
/// One send between nodes. A message without <see cref="Kind"/> (from a node before this field) is a group send; the names
/// keep the JSON name they had then (`groups`).
/// </summary>
internal sealed record BackplaneMessage(string Node, [property: JsonPropertyName("groups")] IReadOnlyList<string> Names, string Method, JsonElement[] Args, IReadOnlyList<string>? Excluded)
{
    public BackplaneSend Kind { get; init; }
}

/// <summary>
/// One Redis channel per hub carries every send between nodes. A node skips its own messages (it delivered them locally
/// already). Published through the app's shared Redis connection (the one BackplaneWatch watches); while Redis is away a
/// send reaches this node only.
/// </summary>
internal sealed class BackplaneSends<THub>(IServiceProvider services, string hubName, ILogger logger)
    where THub : Hub
{
    private readonly IConnectionMultiplexer? mux = services.GetService<IConnectionMultiplexer>();
    private readonly string node = Guid.NewGuid().ToString("N");
    // The channel name is the one the group sends used before, so nodes of both versions hear each other during an upgrade.
    private readonly RedisChannel channel = RedisChannel.Literal($"{Prefix(services)}:{hubName}:group-sends");
    private readonly JsonSerializerOptions json = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<JsonHubProtocolOptions>>().Value.PayloadSerializerOptions;
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
            logger.LogWarning("Backplane sends not subscribed yet: {Error}", ex.Message);
            // The multiplexer registers a queue before it asks the server, and keeps it when the ask fails: nobody would
            // read that queue, yet it would be filled once Redis is back. Dropped here, so only the next attempt's is kept.
            try
            {
                mux.GetSubscriber().Unsubscribe(channel, null, CommandFlags.FireAndForget);
            }
            catch (Exception dropped) when (dropped is RedisException or TimeoutException)
            {
                logger.LogDebug("Unsubscribing the failed attempt did not reach Redis ({Error}); its local registration is gone", dropped.Message);
            }
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
                var message = JsonSerializer.Deserialize<BackplaneMessage>((byte[])received.Message!, json)!;
                if (message.Node != node)
                {
                    await DeliverAsync(local, message);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogWarning(ex, "A send from another node could not be delivered");
            }
        });
    }

    /// <summary>
    /// Fire and forget: one connection keeps the publishes in order, and a push does not wait for Redis. While Redis
    /// is away nothing is queued: other nodes' clients are told to resync when it is back (BackplaneWatch).
    /// </summary>
    public void Publish(BackplaneSend kind, IReadOnlyList<string> names, string method, object?[] args, IReadOnlyList<string>? excluded)
    {
        if (mux is null || !mux.IsConnected)
        {
            return;
        }
        try
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(new BackplaneMessage(node, names, method,
                args.Select(a => JsonSerializer.SerializeToElement(a, a?.GetType() ?? typeof(object), json)).ToArray(), excluded) { Kind = kind }, json);
            mux.GetSubscriber().Publish(channel, payload, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogDebug("Backplane unavailable ({Error}); pushed to this node's clients only", ex.Message);
        }
    }

    private static Task DeliverAsync(DefaultHubLifetimeManager<THub> local, BackplaneMessage message)
    {
        var args = message.Args.Cast<object?>().ToArray();
        var excluded = message.Excluded is { Count: > 0 } e ? e : null;
        return message.Kind switch
        {
            BackplaneSend.All when excluded is not null => local.SendAllExceptAsync(message.Method, args, excluded),
            BackplaneSend.All => local.SendAllAsync(message.Method, args),
            BackplaneSend.Connections => local.SendConnectionsAsync(message.Names, message.Method, args),
            BackplaneSend.Users => local.SendUsersAsync(message.Names, message.Method, args),
            _ when excluded is not null => local.SendGroupExceptAsync(message.Names[0], message.Method, args, excluded),
            _ => local.SendGroupsAsync(message.Names, message.Method, args),
        };
    }

    /// <summary>The Redis channel prefix (configuration `Realtime:ChannelPrefix`, default `contactcenter`).</summary>
    private static string Prefix(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>()["Realtime:ChannelPrefix"] is { Length: > 0 } prefix ? prefix : "contactcenter";
}
