using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ContactCenter.Connectors.WebChat.Sites;

/// <summary>
/// Fixed-window counters for the public endpoints, shared by all nodes through Redis (one atomic script per hit).
/// When Redis is not configured or not reachable, each node counts on its own, so limits still hold per node.
/// </summary>
public sealed class SiteRateLimiter(IServiceProvider services, IOptions<WebChatOptions> options, TimeProvider clock, ILogger<SiteRateLimiter> logger)
{
    private const string Script = """
        local n = redis.call('INCR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if n == 1 or ttl < 0 then
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            ttl = tonumber(ARGV[1])
        end
        return {n, ttl}
        """;

    private readonly IConnectionMultiplexer? redis = services.GetService<IConnectionMultiplexer>();
    private readonly ConcurrentDictionary<string, Window> local = new();
    private readonly WebChatOptions settings = options.Value;

    private sealed class Window(DateTimeOffset resetAt)
    {
        public DateTimeOffset ResetAt = resetAt;
        public int Count;
    }

    /// <summary>Counts one hit on each (bucket, key, limit); returns how long to wait when any is over its limit, else null.</summary>
    public async Task<TimeSpan?> HitAsync(params (string Bucket, string Key, int Limit)[] counters)
    {
        TimeSpan? wait = null;
        foreach (var (bucket, key, limit) in counters)
        {
            var (count, resetIn) = await CountAsync($"{settings.RedisPrefix}:rl:{bucket}:{key}");
            if (count > limit)
            {
                wait = wait is null || resetIn > wait ? resetIn : wait;
            }
        }
        return wait;
    }

    /// <summary>A 429 problem with Retry-After in whole seconds.</summary>
    public static ProblemHttpResult TooMany(HttpContext context, TimeSpan wait)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem("Too many requests; retry later.", statusCode: StatusCodes.Status429TooManyRequests);
    }

    public static string ClientIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private async Task<(long Count, TimeSpan ResetIn)> CountAsync(string key)
    {
        if (redis is { IsConnected: true })
        {
            try
            {
                var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script, [key], [(long)settings.RateWindow.TotalMilliseconds]))!;
                return ((long)result[0], TimeSpan.FromMilliseconds((long)result[1]));
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning("Rate limits fall back to this node: {Error}", ex.Message);
            }
        }
        return CountLocally(key);
    }

    private (long, TimeSpan) CountLocally(string key)
    {
        var now = clock.GetUtcNow();
        if (local.Count > 50_000)
        {
            foreach (var (k, w) in local)
            {
                if (w.ResetAt <= now)
                {
                    local.TryRemove(k, out _);
                }
            }
        }
        var window = local.GetOrAdd(key, _ => new Window(now + settings.RateWindow));
        lock (window)
        {
            if (window.ResetAt <= now)
            {
                window.ResetAt = now + settings.RateWindow;
                window.Count = 0;
            }
            window.Count++;
            return (window.Count, window.ResetAt - now);
        }
    }
}
