using System.Collections.Concurrent;
using StackExchange.Redis;

namespace ContactCenter.Api.Features.Routing;

/// <summary>
/// Who is online: a user is online while at least one hub connection is open on any node and they are not away.
/// With Redis, each connection is a member of the user's sorted set scored by its expiry; this node refreshes
/// its own connections on a heartbeat, so a dead node's connections age out by themselves. Without Redis (or
/// while it is away) the node answers from its own connections.
/// </summary>
public sealed class PresenceTracker(IServiceProvider services, IConfiguration configuration, TimeProvider clock, ILogger<PresenceTracker> logger)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(90);

    private readonly string node = Guid.NewGuid().ToString("N")[..12];
    private readonly string prefix = (configuration["Realtime:ChannelPrefix"] ?? "contactcenter") + ":presence:";
    private readonly ConcurrentDictionary<string, long> local = new(); // connection id -> user id
    private readonly ConcurrentDictionary<long, bool> localAway = new();
    private readonly ConcurrentDictionary<long, int> localPerUser = new(); // user id -> this node's connections of theirs
    private readonly IConnectionMultiplexer? redis = services.GetService<IConnectionMultiplexer>();

    private RedisKey Connections(long userId) => prefix + userId;

    private const int UsersPerCall = 500;

    /// <summary>KEYS: each user's connections set and away flag, in pairs; ARGV[1]: now (ms). Returns the 1-based positions of the users online and not away.</summary>
    private const string OnlineScript = """
        local online = {}
        for i = 1, #KEYS, 2 do
          if redis.call('ZCOUNT', KEYS[i], ARGV[1], '+inf') > 0 and redis.call('EXISTS', KEYS[i + 1]) == 0 then
            online[#online + 1] = (i + 1) / 2
          end
        end
        return online
        """;

    private RedisKey Away(long userId) => prefix + "away:" + userId;

    /// <returns>
    /// Whether this is the user's only connection on this node: false when another tab of theirs was online here already,
    /// so coming online (routing's drain, the live queue) has been handled for them.
    /// </returns>
    public async Task<bool> ConnectedAsync(long userId, string connectionId)
    {
        // A connection already counted (announced twice) is not a coming online.
        var first = local.TryAdd(connectionId, userId) && localPerUser.AddOrUpdate(userId, 1, (_, n) => n + 1) == 1;
        await TryRedisAsync(db => db.SortedSetAddAsync(Connections(userId), node + ":" + connectionId, Expiry()));
        return first;
    }

    /// <returns>Whether that was the user's last connection on this node (false too for a connection not counted).</returns>
    public async Task<bool> DisconnectedAsync(long userId, string connectionId)
    {
        var last = local.TryRemove(connectionId, out _) && Release(userId);
        await TryRedisAsync(db => db.SortedSetRemoveAsync(Connections(userId), node + ":" + connectionId));
        return last;
    }

    /// <returns>Whether the user has no connection left on this node.</returns>
    private bool Release(long userId)
    {
        while (localPerUser.TryGetValue(userId, out var n))
        {
            if (n <= 1 ? localPerUser.TryRemove(new KeyValuePair<long, int>(userId, n)) : localPerUser.TryUpdate(userId, n - 1, n))
            {
                return n <= 1;
            }
        }
        return true;
    }

    public async Task SetAwayAsync(long userId, bool away)
    {
        if (away)
        {
            localAway[userId] = true;
        }
        else
        {
            localAway.TryRemove(userId, out _);
        }
        await TryRedisAsync(db => away ? db.StringSetAsync(Away(userId), "1") : db.KeyDeleteAsync(Away(userId)));
    }

    /// <summary>The subset of the given users who are online and not away.</summary>
    public async Task<IReadOnlySet<long>> OnlineAsync(IReadOnlyCollection<long> userIds)
    {
        var online = new HashSet<long>();
        if (userIds.Count == 0)
        {
            return online;
        }
        if (redis is { IsConnected: true })
        {
            try
            {
                var db = redis.GetDatabase();
                RedisValue now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                // One script call per chunk instead of two commands per user: the live queue asks for every active account
                // (a thousand in the benchmark: 2,000 commands and tasks per read), routing for a channel's members.
                var chunks = userIds.Chunk(UsersPerCall).ToList();
                var answers = await Task.WhenAll(chunks.Select(chunk =>
                    db.ScriptEvaluateAsync(OnlineScript, chunk.SelectMany(id => new[] { Connections(id), Away(id) }).ToArray(), [now])));
                for (var c = 0; c < chunks.Count; c++)
                {
                    foreach (var position in (long[])answers[c]!)
                    {
                        online.Add(chunks[c][position - 1]);
                    }
                }
                return online;
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
            {
                logger.LogWarning("Presence falls back to this node's connections: {Error}", ex.Message);
            }
        }
        var here = local.Values.ToHashSet();
        online.UnionWith(userIds.Where(id => here.Contains(id) && !localAway.ContainsKey(id)));
        return online;
    }

    public bool IsAway(long userId) => localAway.ContainsKey(userId);

    /// <summary>Re-announces this node's connections and drops expired members (run on a timer).</summary>
    public async Task HeartbeatAsync()
    {
        var expiry = Expiry();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var group in local.GroupBy(c => c.Value))
        {
            await TryRedisAsync(async db =>
            {
                await db.SortedSetAddAsync(Connections(group.Key), group.Select(c => new SortedSetEntry(node + ":" + c.Key, expiry)).ToArray());
                await db.SortedSetRemoveRangeByScoreAsync(Connections(group.Key), double.NegativeInfinity, now);
            });
        }
    }

    private double Expiry() => clock.GetUtcNow().Add(Ttl).ToUnixTimeMilliseconds();

    private async Task TryRedisAsync(Func<IDatabase, Task> action)
    {
        if (redis is null)
        {
            return;
        }
        try
        {
            await action(redis.GetDatabase());
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            // RedisTimeoutException is a TimeoutException, not a RedisException: uncaught, it stopped the host from the heartbeat.
            logger.LogWarning("Presence update not written to Redis: {Error}", ex.Message);
        }
    }
}
