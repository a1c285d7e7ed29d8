using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// While Redis is away, pushes still reach this node's own clients but not other nodes' (the backplane is down).
/// When Redis comes back, every client is told to `resync` (re-read through REST), so events missed in the gap
/// are recovered instead of silently lost. This node's audience copy (<see cref="AudienceDirectory"/>) starts afresh too.
/// </summary>
public sealed class BackplaneWatch(
    IServiceProvider services, IHubContext<InboxHub, IInboxClient> hub, AudienceDirectory audiences, ILogger<BackplaneWatch> logger) : IHostedService
{
    private IConnectionMultiplexer? redis;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        redis = services.GetService<IConnectionMultiplexer>();
        if (redis is not null)
        {
            redis.ConnectionFailed += OnFailed;
            redis.ConnectionRestored += OnRestored;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (redis is not null)
        {
            redis.ConnectionFailed -= OnFailed;
            redis.ConnectionRestored -= OnRestored;
        }
        return Task.CompletedTask;
    }

    private void OnFailed(object? sender, ConnectionFailedEventArgs e) =>
        logger.LogWarning("Redis connection lost ({Type}); pushes reach this node's clients only until it is back", e.FailureType);

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Interactive)
        {
            return;
        }
        logger.LogInformation("Redis is back: asking every client to resync");
        // Pushes check the audience copy against PostgreSQL anyway; starting it afresh is the cheap part of a resync.
        audiences.Clear();
        _ = Task.Run(async () =>
        {
            // Give the SignalR backplane's own connection a moment to resubscribe, then tell local and remote clients.
            await Task.Delay(TimeSpan.FromSeconds(1));
            try
            {
                await hub.Clients.All.resync(new ResyncEvent("backplane-restored"));
            }
            catch (Exception ex) when (ex is RedisException or InvalidOperationException)
            {
                logger.LogWarning("Resync push failed: {Error}", ex.Message);
            }
        });
    }
}
