using Dapper;
using Npgsql;

namespace ContactCenter.Api.Auth;

/// <summary>
/// Re-checks the security stamp of every open hub connection of this node every few seconds and closes the stale ones.
/// SessionRevocations closes them at once when its Redis announcement arrives; this sweep is what holds when it does not
/// (Redis away at the moment of the revocation), so a demoted or deactivated user's socket never outlives it for long.
/// One query per sweep for all connected users.
/// </summary>
public sealed class SessionSweep(HubSessions hubs, NpgsqlDataSource db, ILogger<SessionSweep> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private const string Sql = "select id, security_stamp from users where id = any(@ids) and is_active";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Hub session sweep skipped: {Error}", ex.Message);
            }
        }
    }

    private async Task SweepAsync(CancellationToken ct)
    {
        var open = hubs.Snapshot();
        if (open.Count == 0)
        {
            return;
        }
        var ids = open.Select(o => o.UserId).Distinct().ToArray();
        await using var connection = await db.OpenConnectionAsync(ct);
        var current = (await connection.QueryAsync<(long Id, long Stamp)>(new CommandDefinition(Sql, new { ids }, cancellationToken: ct)))
            .ToDictionary(u => u.Id, u => u.Stamp);
        foreach (var (userId, context) in open)
        {
            var valid = context.User is { } user && SessionCheck.TryRead(user, out _, out var stamp)
                && current.TryGetValue(userId, out var expected) && expected == stamp;
            if (!valid)
            {
                hubs.Abort(userId, context);
                logger.LogInformation("Closed a hub connection of user {UserId}: its session was revoked", userId);
            }
        }
    }
}
