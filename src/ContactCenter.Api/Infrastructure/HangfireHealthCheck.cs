using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// Ready when Hangfire's storage answers and, on a node that runs a job server, that server is registered with a recent
/// heartbeat: a node whose job server died still serves requests, but its share of automation and sweeps would wait.
/// Heartbeats are Hangfire's wall-clock times, so they are compared with the wall clock, never the app's TimeProvider
/// (tests move that one).
/// </summary>
public sealed class HangfireHealthCheck(JobStorage storage, JobServer server) : IHealthCheck
{
    /// <summary>Four of Hangfire's 30-second heartbeats missed (Hangfire itself drops a server after five minutes).</summary>
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(2);

    /// <summary>A server that has just started announces itself within moments; until then it is only "starting".</summary>
    private static readonly TimeSpan Announcing = TimeSpan.FromSeconds(30);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        List<Hangfire.Storage.Monitoring.ServerDto> servers;
        try
        {
            // Hangfire's monitoring API is synchronous: off the request thread, with the same 3 s limit as the other checks.
            servers = await Task.Run(() => storage.GetMonitoringApi().Servers().ToList(), cancellationToken)
                .WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("Hangfire's storage does not answer: " + ex.Message);
        }
        if (server.StartedUtc is not { } started)
        {
            // Jobs:Server=false (this node only enqueues) or not started yet: the storage answering is all it needs.
            return HealthCheckResult.Healthy();
        }
        var now = DateTime.UtcNow;
        var own = servers.FirstOrDefault(s => s.Name.Contains(server.ServerName, StringComparison.OrdinalIgnoreCase));
        if (own is null)
        {
            return now - started < Announcing
                ? HealthCheckResult.Degraded("Hangfire's job server is starting.")
                : HealthCheckResult.Unhealthy("This node's Hangfire job server is not registered.");
        }
        var heartbeat = own.Heartbeat ?? own.StartedAt;
        return now - heartbeat > Stale
            ? HealthCheckResult.Unhealthy($"This node's Hangfire job server has not sent a heartbeat since {heartbeat:O}.")
            : HealthCheckResult.Healthy();
    }
}
