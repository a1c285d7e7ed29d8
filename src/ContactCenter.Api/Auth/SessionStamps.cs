using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace ContactCenter.Api.Auth;

/// <summary>What a token is checked against on every request: the user as stored now.</summary>
public sealed record UserSession(long Id, string Role, bool IsActive, long SecurityStamp);

/// <summary>
/// Reads users' security stamps for token validation, cached per node for a few seconds. A change of stamp is
/// made in the changing transaction (<see cref="BumpAsync"/>) and announced after commit (<see cref="SessionRevocations"/>),
/// which drops the cached entry on every node at once; the short lifetime only bounds staleness when Redis is away.
/// Only a token that matches the cached entry is let through on the cache: any other answer is read afresh, so a
/// refusal is never a stale one.
/// </summary>
public sealed class SessionStamps(NpgsqlDataSource db, IMemoryCache cache)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    // Bumped on every eviction: a read that started before an eviction must not put its older answer back in the cache.
    private readonly ConcurrentDictionary<long, long> generations = new();

    /// <summary>True when the user exists, is active and has this stamp.</summary>
    public async Task<bool> IsCurrentAsync(long userId, long stamp, CancellationToken ct)
    {
        if (cache.TryGetValue(Key(userId), out UserSession? cached) && Matches(cached, stamp))
        {
            return true;
        }
        return Matches(await ReadAsync(userId, ct), stamp);
    }

    /// <summary>Reads the user from the database (and caches the answer).</summary>
    public async Task<UserSession?> ReadAsync(long userId, CancellationToken ct)
    {
        var generation = generations.GetValueOrDefault(userId);
        const string sql = "select id, role, is_active, security_stamp from users where id = @userId";
        await using var connection = await db.OpenConnectionAsync(ct);
        var session = await connection.QuerySingleOrDefaultAsync<UserSession>(new CommandDefinition(sql, new { userId }, cancellationToken: ct));
        if (session is not null && generations.GetValueOrDefault(userId) == generation)
        {
            cache.Set(Key(userId), session, CacheLifetime);
        }
        return session;
    }

    /// <summary>Invalidates every token of the user; call inside the transaction that makes the change.</summary>
    public static Task BumpAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long userId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "update users set security_stamp = security_stamp + 1 where id = @userId", new { userId }, tx, cancellationToken: ct));

    public void Evict(long userId)
    {
        generations.AddOrUpdate(userId, 1, (_, g) => g + 1);
        cache.Remove(Key(userId));
    }

    private static bool Matches(UserSession? session, long stamp) => session is { IsActive: true } && session.SecurityStamp == stamp;

    private static string Key(long userId) => "session:" + userId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
