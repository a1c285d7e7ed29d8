using System.Globalization;
using ContactCenter.Api.Features.Conversations;
using StackExchange.Redis;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// The last counters pushed to each user, shared by every node (a Redis hash; this node's memory without Redis). A
/// fresh read advances a user's chain when its version is greater than the stored one's and its values differ: the
/// caller then pushes the difference from the stored values (<see cref="CountersChange"/>). An older read is
/// superseded by the stored one, which its writer pushes; a newer read with the same values only moves the stored
/// read version (so an older read cannot come after it) and pushes nothing. So whichever node or request reads, a
/// user's pushes form one chain of versions a client can follow by adding changes, and an older read never
/// overwrites a newer one.
/// </summary>
public sealed class CounterChain(IServiceProvider services, IConfiguration configuration, ILogger<CounterChain> logger)
{
    // Per user, a stored value is "read version|version clients hold it at|7 values". A fresh read no newer than the
    // stored one is superseded ('0' + stored); one with the same values moves only the read version ('2' + stored:
    // nothing to push, clients keep the version they hold); any other is stored ('1' + the previous value or '').
    private const string AdvanceScript = """
        local out = {}
        for i = 1, #ARGV, 2 do
          local cur = redis.call('HGET', KEYS[1], ARGV[i])
          local new = ARGV[i + 1]
          if cur and string.sub(cur, 1, 32) >= string.sub(new, 1, 32) then
            out[#out + 1] = '0' .. cur
          elseif cur and string.sub(cur, 67) == string.sub(new, 67) then
            redis.call('HSET', KEYS[1], ARGV[i], string.sub(new, 1, 32) .. string.sub(cur, 33))
            out[#out + 1] = '2' .. cur
          else
            redis.call('HSET', KEYS[1], ARGV[i], new)
            out[#out + 1] = '1' .. (cur or '')
          end
        end
        return out
        """;

    private readonly IConnectionMultiplexer? redis = services.GetService<IConnectionMultiplexer>();
    private readonly RedisKey key = (configuration["Realtime:ChannelPrefix"] is { Length: > 0 } prefix ? prefix : "contactcenter") + ":counters";
    private readonly Dictionary<long, (string ReadVersion, Counters Value)> local = [];
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
            var args = users.SelectMany(u => new RedisValue[] { u.Key, Encode(u.Value) }).ToArray();
            var answer = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(AdvanceScript, [key], args))!;
            return users.Select((u, i) =>
            {
                var text = (string)answer[i]!;
                var stored = text.Length > 1 ? Decode(text[1..]) : null;
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
        if (!local.TryGetValue(userId, out var stored))
        {
            local[userId] = (value.Version, value);
            return new ChainStep(userId, value, true, null);
        }
        if (CountersVersion.Compare(stored.ReadVersion, value.Version) >= 0)
        {
            return new ChainStep(userId, stored.Value, false, stored.Value);
        }
        if (stored.Value == value with { Version = stored.Value.Version })
        {
            local[userId] = (value.Version, stored.Value);
            return new ChainStep(userId, stored.Value, false, stored.Value);
        }
        local[userId] = (value.Version, value);
        return new ChainStep(userId, value, true, stored.Value);
    }

    private static string Encode(Counters c) => string.Join('|', c.Version, c.Version, c.UnreadConversations, c.UnreadMessages, c.Mine,
        c.Unassigned, c.OverdueActivities, c.ActivitiesDueToday, c.DealsWithoutActivity);

    // The value as clients hold it: at the version it was pushed with (the read version only orders reads).
    private static Counters? Decode(string text)
    {
        var parts = text.Split('|');
        if (parts.Length != 9 || parts[0].Length != CountersVersion.Length || parts[1].Length != CountersVersion.Length)
        {
            return null;
        }
        var n = parts[2..].Select(p => long.Parse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)).ToArray();
        return new Counters(n[0], n[1], n[2], n[3], n[4], n[5], n[6]) { Version = parts[1] };
    }
}
