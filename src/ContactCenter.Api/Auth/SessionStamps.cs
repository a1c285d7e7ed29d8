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
/// </summary>
public sealed class SessionStamps(NpgsqlDataSource db, IMemoryCache cache)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    // Bumped on every eviction: a read that started before an eviction must not put its older answer back in the cache.
    private readonly ConcurrentDictionary<long, long> generations = new();

    public async Task<UserSession?> GetAsync(long userId, CancellationToken ct)
    {
        if (cache.TryGetValue(Key(userId), out UserSession? cached))
        {
            return cached is { SecurityStamp: > 0 } ? cached : null;
        }
        var generation = generations.GetValueOrDefault(userId);
        const string sql = "select id, role, is_active, security_stamp from users where id = @userId";
        await using var connection = await db.OpenConnectionAsync(ct);
        var session = await connection.QuerySingleOrDefaultAsync<UserSession>(new CommandDefinition(sql, new { userId }, cancellationToken: ct));
        if (generations.GetValueOrDefault(userId) == generation)
        {
            // Unknown ids are cached too (stamp 0), so a flood of forged subjects cannot hammer the database.
            cache.Set(Key(userId), session ?? new UserSession(userId, "", false, 0), CacheLifetime);
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

    private static string Key(long userId) => "session:" + userId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
