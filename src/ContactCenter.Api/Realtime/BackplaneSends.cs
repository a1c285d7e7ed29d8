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

    /// <summary><see cref="BackplaneMessage.Frames"/>: several events per connection (<see cref="HubFrame"/>). A node before this kind cannot deliver it.</summary>
    Frames,
}

/// <summary>
/// One send between nodes. A message without <see cref="Kind"/> (from a node before this field) is a group send; the names
/// keep the JSON name they had then (`groups`).
/// </summary>
internal sealed record BackplaneMessage(string Node, [property: JsonPropertyName("groups")] IReadOnlyList<string> Names, string Method, JsonElement[] Args, IReadOnlyList<string>? Excluded)
{
    public BackplaneSend Kind { get; init; }

    /// <summary>The frames of a <see cref="BackplaneSend.Frames"/> send (then <see cref="Names"/> and <see cref="Args"/> are empty).</summary>
    public IReadOnlyList<BackplaneFrame>? Frames { get; init; }
}

internal sealed record BackplaneFrame(IReadOnlyList<string> Groups, IReadOnlyList<BackplaneInvocation> Invocations);

internal sealed record BackplaneInvocation(string Method, JsonElement Arg);

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
    private int failed;

    /// <summary>
    /// Subscribes once (the multiplexer re-subscribes by itself after a reconnect); a failed attempt is retried. Until an
    /// attempt succeeds, this node's clients miss every other node's sends, so they are told to resync once it does.
    /// </summary>
    public void Start(ResilientHubLifetimeManager<THub> local)
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
            // Written before `started` is cleared: whichever attempt wins the next exchange sees it.
            Volatile.Write(ref failed, 1);
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
                    await local.DeliverAsync(message);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogWarning(ex, "A send from another node could not be delivered");
            }
        });
        if (Interlocked.Exchange(ref failed, 0) == 1)
        {
            _ = ResyncAsync(local);
        }
    }

    /// <summary>
    /// To this node's clients only: the other nodes were subscribed all along (BackplaneWatch covers the Redis connection
    /// itself coming back, for every node). Only the inbox's clients know `resync`; the web-chat widget has no such event.
    /// </summary>
    private async Task ResyncAsync(ResilientHubLifetimeManager<THub> local)
    {
        if (!typeof(Hub<IInboxClient>).IsAssignableFrom(typeof(THub)))
        {
            return;
        }
        logger.LogInformation("Backplane sends subscribed after a failed attempt: asking this node's clients to resync");
        try
        {
            await local.SendLocalAllAsync(nameof(IInboxClient.resync), [new ResyncEvent("backplane-subscribed")]);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning("Resync push failed: {Error}", ex.Message);
        }
    }

    /// <summary>
    /// Fire and forget: one connection keeps the publishes in order, and a push does not wait for Redis. While Redis
    /// is away nothing is queued: other nodes' clients are told to resync when it is back (BackplaneWatch).
    /// </summary>
    public void Publish(BackplaneSend kind, IReadOnlyList<string> names, string method, object?[] args, IReadOnlyList<string>? excluded) =>
        Publish(() => new BackplaneMessage(node, names, method, args.Select(Element).ToArray(), excluded) { Kind = kind });

    /// <inheritdoc cref="Publish(BackplaneSend, IReadOnlyList{string}, string, object?[], IReadOnlyList{string}?)"/>
    public void Publish(IReadOnlyList<HubFrame> frames) =>
        Publish(() => new BackplaneMessage(node, [], "", [], null)
        {
            Kind = BackplaneSend.Frames,
            Frames = frames.Select(f => new BackplaneFrame(f.Groups, f.Invocations.Select(i => new BackplaneInvocation(i.Method, Element(i.Arg))).ToList())).ToList(),
        });

    private void Publish(Func<BackplaneMessage> message)
    {
        if (mux is null || !mux.IsConnected)
        {
            return;
        }
        try
        {
            mux.GetSubscriber().Publish(channel, JsonSerializer.SerializeToUtf8Bytes(message(), json), CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogDebug("Backplane unavailable ({Error}); pushed to this node's clients only", ex.Message);
        }
    }

    private JsonElement Element(object? arg) => JsonSerializer.SerializeToElement(arg, arg?.GetType() ?? typeof(object), json);

    /// <summary>The Redis channel prefix (configuration `Realtime:ChannelPrefix`, default `contactcenter`).</summary>
    private static string Prefix(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>()["Realtime:ChannelPrefix"] is { Length: > 0 } prefix ? prefix : "contactcenter";
}
