using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactCenter.Api.Auth;

/// <summary>
/// Per-email throttling of sign-in on top of the per-IP rate limit, in PostgreSQL so every node sees the same count.
/// Counted for any email, known or not, so the answers do not tell which accounts exist.
/// </summary>
public sealed class LoginThrottle(IOptions<AuthOptions> options)
{
    public sealed record Failure(int Failures, bool JustLocked);

    public static string KeyOf(string email) => email.Trim().ToLowerInvariant();

    /// <summary>How long the email stays locked, or null when it may try.</summary>
    public static async Task<TimeSpan?> LockedForAsync(NpgsqlConnection connection, string key, CancellationToken ct)
    {
        const string sql = "select extract(epoch from locked_until - now())::float8 from login_throttle where email_key = @key and locked_until > now()";
        var seconds = await connection.ExecuteScalarAsync<double?>(new CommandDefinition(sql, new { key }, cancellationToken: ct));
        return seconds is { } s ? TimeSpan.FromSeconds(s) : null;
    }

    /// <summary>Counts a failure (in the caller's transaction) and locks the email at the threshold and after each later failure.</summary>
    public async Task<Failure> RecordFailureAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string key, CancellationToken ct)
    {
        var o = options.Value;
        // The row lock serialises concurrent failures of one email across nodes, so none is lost from the count.
        const string upsert = """
            insert into login_throttle as t (email_key, failures, last_failed_at, locked_until)
            values (@key, 1, now(), null)
            on conflict (email_key) do update set
                failures = case when t.last_failed_at < now() - @resetAfter and (t.locked_until is null or t.locked_until < now())
                                then 1 else t.failures + 1 end,
                last_failed_at = now()
            returning failures
            """;
        var failures = await connection.ExecuteScalarAsync<int>(new CommandDefinition(upsert, new { key, resetAfter = o.LockoutResetAfter }, tx, cancellationToken: ct));
        if (failures < o.LockoutThreshold)
        {
            return new Failure(failures, false);
        }
        var doublings = Math.Min(failures - o.LockoutThreshold, 20);
        var lockFor = TimeSpan.FromTicks(Math.Min(o.LockoutMax.Ticks, o.LockoutBase.Ticks * (1L << doublings)));
        await connection.ExecuteAsync(new CommandDefinition(
            "update login_throttle set locked_until = now() + @lockFor where email_key = @key", new { key, lockFor }, tx, cancellationToken: ct));
        return new Failure(failures, true);
    }

    public static Task ResetAsync(NpgsqlConnection connection, string key, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("delete from login_throttle where email_key = @key", new { key }, cancellationToken: ct));
}
