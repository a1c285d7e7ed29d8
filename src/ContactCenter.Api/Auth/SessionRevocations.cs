using System.Globalization;
using StackExchange.Redis;

namespace ContactCenter.Api.Auth;

/// <summary>
/// Announces, after commit, that a user's tokens were revoked: every node drops its cached stamp for the user and closes
/// the user's hub connections. Through Redis pub/sub when configured (each node also applies it locally at once, so a
/// lost message costs at most the stamp cache's few seconds for REST, and SessionSweep's interval for open hub
/// connections, on the other nodes); a single node without Redis is local only.
/// </summary>
public sealed class SessionRevocations(SessionStamps stamps, HubSessions hubs, IConfiguration configuration, IServiceProvider services,
    ILogger<SessionRevocations> logger) : BackgroundService
{
    private readonly IConnectionMultiplexer? redis = services.GetService<IConnectionMultiplexer>();
    private readonly RedisChannel channel = RedisChannel.Literal((configuration["Realtime:ChannelPrefix"] ?? "contactcenter") + ":session-revoked");

    public async Task RevokeAsync(long userId, CancellationToken ct)
    {
        Apply(userId);
        if (redis is null)
        {
            return;
        }
        try
        {
            // Not the request's token: the change is committed, so a caller who goes away must not cancel its announcement.
            await redis.GetSubscriber().PublishAsync(channel, userId.ToString(CultureInfo.InvariantCulture)).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // A lost announcement is caught by every node's SessionSweep within its interval.
            logger.LogWarning("Could not announce the revocation of user {UserId} to other nodes: {Error}", userId, ex.Message);
        }
    }

    private void Apply(long userId)
    {
        stamps.Evict(userId);
        var closed = hubs.AbortAll(userId);
        if (closed > 0)
        {
            logger.LogInformation("Closed {Count} hub connections of revoked user {UserId}", closed, userId);
        }
    }

    // Subscribes until it succeeds (Redis may be down at start); StackExchange.Redis re-subscribes after reconnects itself.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (redis is null)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await redis.GetSubscriber().SubscribeAsync(channel, (_, message) =>
                {
                    if (long.TryParse(message.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
                    {
                        Apply(userId);
                    }
                });
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning("Subscribing to session revocations failed, retrying in 5 s: {Error}", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }
}
