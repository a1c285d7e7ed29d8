using System.Globalization;
using ContactCenter.Api.Features.Conversations;
using StackExchange.Redis;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// The last counters pushed to each user, shared by every node (a Redis hash; this node's memory without Redis). A
/// fresh read advances a user's chain when its version is greater than the stored one's: the caller then pushes the
/// difference from the stored values (<see cref="CountersChange"/>; all zero when nothing changed, which still moves
/// every client on to the new version, so one that fell off the chain sees a gap). An older read is superseded by
/// the stored one, which its writer pushes. So whichever node or request reads, a user's pushes form one chain of
/// versions a client can follow by adding changes, and an older read never overwrites a newer one.
/// </summary>
public sealed class CounterChain(IServiceProvider services, IConfiguration configuration, ILogger<CounterChain> logger)
{
    /// <summary>Users per script call: one call holds Redis (and so the backplane) for its whole length.</summary>
    public const int UsersPerCall = 500;

    // Per user, a stored value is "version|7 values". A fresh read no newer than the stored one is superseded
    // ('0' + stored); any other is stored ('1' + the previous value, or '' for none).
    private const string AdvanceScript = """
        local out = {}
        for i = 1, #ARGV, 2 do
          local cur = redis.call('HGET', KEYS[1], ARGV[i])
          local new = ARGV[i + 1]
          if cur and string.sub(cur, 1, 35) >= string.sub(new, 1, 35) then
            out[#out + 1] = '0' .. cur
          else
            redis.call('HSET', KEYS[1], ARGV[i], new)
            out[#out + 1] = '1' .. (cur or '')
          end
        end
        return out
        """;

    private readonly IConnectionMultiplexer? redis = services.GetService<IConnectionMultiplexer>();
    private readonly RedisKey key = (configuration["Realtime:ChannelPrefix"] is { Length: > 0 } prefix ? prefix : "contactcenter") + ":counters";
    private readonly Dictionary<long, Counters> local = [];
    private readonly Lock gate = new();

    /// <summary>One step per user: <see cref="ChainStep.Advanced"/> with the previous values (null: none known), or superseded by newer stored values.</summary>
    public async Task<IReadOnlyList<ChainStep>> AdvanceAsync(IReadOnlyDictionary<long, Counters> fresh)
    {
        if (fresh.Count == 0)
        {
            return [];
        }
        var users = fresh.ToList();
        if (redis is null)
        {
            lock (gate)
            {
                return users.Select(u => AdvanceLocal(u.Key, u.Value)).ToList();
            }
        }
        try
        {
            var db = redis.GetDatabase();
            var answers = await Task.WhenAll(users.Chunk(UsersPerCall).Select(chunk =>
                db.ScriptEvaluateAsync(AdvanceScript, [key], chunk.SelectMany(u => new RedisValue[] { u.Key, Encode(u.Value) }).ToArray())));
            return users.Zip(answers.SelectMany(a => (RedisResult[])a!), (u, answer) =>
            {
                var text = (string)answer!;
                var stored = text.Length > 1 ? Decode(text[1..]) : null;
                // A record this version cannot read counts as none: the read goes out whole (clients keep the greater version).
                return text[0] == '1' || stored is null ? new ChainStep(u.Key, u.Value, true, stored) : new ChainStep(u.Key, stored, false, stored);
            }).ToList();
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            // Without the shared chain, the values go out whole: clients keep whichever version is greater.
            logger.LogWarning("Counters go out as whole values, the chain in Redis is unavailable: {Error}", ex.Message);
            return users.Select(u => new ChainStep(u.Key, u.Value, true, null)).ToList();
        }
    }

    private ChainStep AdvanceLocal(long userId, Counters value)
    {
        var known = local.TryGetValue(userId, out var stored);
        if (known && CountersVersion.Compare(stored!.Version, value.Version) >= 0)
        {
            return new ChainStep(userId, stored, false, stored);
        }
        local[userId] = value;
        return new ChainStep(userId, value, true, known ? stored : null);
    }

    private static string Encode(Counters c) => string.Join('|', c.Version, c.UnreadConversations, c.UnreadMessages, c.Mine, c.Unassigned,
        c.OverdueActivities, c.ActivitiesDueToday, c.DealsWithoutActivity);

    private static Counters? Decode(string text)
    {
        var parts = text.Split('|');
        if (parts.Length != 8 || parts[0].Length != CountersVersion.Length)
        {
            return null;
        }
        var n = new long[7];
        for (var i = 0; i < 7; i++)
        {
            if (!long.TryParse(parts[i + 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n[i]))
            {
                return null;
            }
        }
        return new Counters(n[0], n[1], n[2], n[3], n[4], n[5], n[6]) { Version = parts[0] };
    }
}
