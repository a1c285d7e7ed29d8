using ContactCenter.Api.Storage;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Microsoft.Extensions.Options;

namespace ContactCenter.Api.Infrastructure;

/// <summary>This node's Hangfire server (queues `automation` and `default`) and the recurring jobs it keeps registered.</summary>
public sealed class JobServer(JobStorage storage, IServiceScopeFactory scopes, IRecurringJobManager recurring, IOptions<JobsOptions> options,
    ILoggerFactory loggers) : IHostedService, IDisposable
{
    public const string SweepUploadsJob = "sweep-unsent-uploads";

    public const string SweepOrphanFilesJob = "sweep-orphan-files";

    private BackgroundJobServer? server;

    /// <summary>
    /// This node's server name, unique per app (Hangfire appends the process id and its own id): how the health check
    /// finds this node's heartbeat among the other nodes' (and among other apps' in one test process).
    /// </summary>
    public string ServerName { get; } = $"{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid():N}";

    /// <summary>When this node's server was started (wall clock, like Hangfire's heartbeats); null while none runs.</summary>
    public DateTime? StartedUtc { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        HangfireLogs.Use(loggers);
        var o = options.Value;
        if (!o.Server)
        {
            return Task.CompletedTask;
        }
        recurring.AddOrUpdate<UploadSweeper>(SweepUploadsJob, sweeper => sweeper.SweepAsync(CancellationToken.None), o.SweepUploadsCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        recurring.AddOrUpdate<OrphanFileSweeper>(SweepOrphanFilesJob, sweeper => sweeper.SweepAsync(CancellationToken.None), o.SweepOrphanFilesCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        // The safety net under snoozes' delayed jobs: wakes any snoozed conversation that is due (issue #16).
        recurring.AddOrUpdate<Features.Conversations.SnoozeService>(Features.Conversations.SnoozeService.SweepJob,
            snoozes => snoozes.SweepAsync(CancellationToken.None), Cron.Minutely(), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        // Working hours begin and snoozes end without any event: each minute the waiting queues are offered again (issue #16).
        recurring.AddOrUpdate<Features.Routing.Router>(Features.Routing.Router.DrainJob,
            router => router.DrainWaitingAsync(CancellationToken.None), Cron.Minutely(), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        // The funnel's rollups gather a row per change; each minute every key's rows are folded into one (issue #19).
        recurring.AddOrUpdate<Features.Stats.FunnelRollupCompactor>(Features.Stats.FunnelRollupCompactor.Job,
            compactor => compactor.CompactAsync(CancellationToken.None), Cron.Minutely(), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        // The constructor that takes the app's own storage and DI activator (Hangfire.AspNetCore's AddHangfireServer calls
        // the same one, but reads the static JobStorage.Current that two apps in one process would share).
#pragma warning disable CS0618
        server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                ServerName = ServerName,
                Queues = ["automation", "default"],
                WorkerCount = o.WorkerCount,
                ShutdownTimeout = TimeSpan.FromSeconds(10),
                SchedulePollingInterval = TimeSpan.FromSeconds(5),
            },
            storage, [], JobFilterProviders.Providers, new AspNetCoreJobActivator(scopes), null, null, null);
#pragma warning restore CS0618
        StartedUtc = DateTime.UtcNow;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is null)
        {
            return;
        }
        server.SendStop();
        await server.WaitForShutdownAsync(cancellationToken);
    }

    public void Dispose()
    {
        server?.Dispose();
        HangfireLogs.Release(loggers);
    }
}
