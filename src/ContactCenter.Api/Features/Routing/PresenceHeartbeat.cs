namespace ContactCenter.Api.Features.Routing;

/// <summary>Keeps this node's presence entries fresh in Redis.</summary>
public sealed class PresenceHeartbeat(PresenceTracker presence) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await presence.HeartbeatAsync();
        }
    }
}
