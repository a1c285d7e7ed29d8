using ContactCenter.Api.Auth;
using ContactCenter.Api.Storage;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactCenter.Api.Infrastructure;

public sealed record JobsOptions
{
    /// <summary>How often an idle Hangfire worker looks for queued jobs (Hangfire.PostgreSql's default is 15 s).</summary>
    public TimeSpan QueuePollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public int WorkerCount { get; init; } = 4;

    /// <summary>Whether this node runs a Hangfire server (false: it only enqueues, e.g. a node that serves the API alone).</summary>
    public bool Server { get; init; } = true;

    /// <summary>Cron of the recurring sweep of uploads no reply took (UTC).</summary>
    public string SweepUploadsCron { get; init; } = "17 * * * *";
}

/// <summary>
/// Hangfire on PostgreSQL storage (schema `hangfire`, installed by the migrator): every node runs a job server, so
/// queued and recurring work is shared by the nodes and survives a crash. The storage, client and server are built
/// per app rather than through Hangfire's static <c>JobStorage.Current</c>, so two apps in one process (the
/// two-node tests) never share or swap storages.
/// Long polling (LISTEN/NOTIFY) is left off on purpose: Hangfire.PostgreSql does not re-listen after the
/// connection drops (its issue #410), so after a PostgreSQL restart jobs would wait for the invisibility timeout.
/// </summary>
public static class Jobs
{
    public const string Schema = "hangfire";

    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<JobsOptions>().BindConfiguration("Jobs");
        services.AddSingleton<JobStorage>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
            var storageOptions = new PostgreSqlStorageOptions
            {
                SchemaName = Schema,
                PrepareSchemaIfNecessary = false,
                QueuePollInterval = options.QueuePollInterval,
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = TimeSpan.FromMinutes(5),
            };
            return new PostgreSqlStorage(new PooledConnections(sp.GetRequiredService<NpgsqlDataSource>()), storageOptions);
        });
        services.AddSingleton<IBackgroundJobClient>(sp => new BackgroundJobClient(sp.GetRequiredService<JobStorage>()));
        services.AddSingleton<IRecurringJobManager>(sp => new RecurringJobManager(sp.GetRequiredService<JobStorage>()));
        // One instance, so /health/ready (HangfireHealthCheck) can ask it which server is this node's.
        services.AddSingleton<JobServer>();
        services.AddHostedService(sp => sp.GetRequiredService<JobServer>());
        return builder;
    }

    /// <summary>Creates or upgrades Hangfire's own tables; the migrator calls it under its advisory lock.</summary>
    public static void InstallSchema(NpgsqlConnection connection) => PostgreSqlObjectsInstaller.Install(connection, Schema);

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/jobs", Overview).RequireAuthorization(Roles.AdminPolicy);
        return app;
    }

    public sealed record JobServerDto(string Name, int Workers, string[] Queues, DateTime? Heartbeat);

    public sealed record JobQueueDto(string Name, long Enqueued, long Fetched);

    public sealed record RecurringJobDto(string Id, string Cron, DateTime? LastExecution, string? LastJobState, DateTime? NextExecution, string? Error);

    public sealed record JobsOverview(
        long Enqueued, long Scheduled, long Processing, long Succeeded, long Failed,
        List<JobServerDto> Servers, List<JobQueueDto> Queues, List<RecurringJobDto> Recurring);

    /// <summary>What Hangfire is doing across the nodes: servers with their heartbeats, queues, totals, recurring jobs.</summary>
    private static Ok<JobsOverview> Overview(JobStorage storage)
    {
        var monitoring = storage.GetMonitoringApi();
        var stats = monitoring.GetStatistics();
        List<RecurringJobDto> recurring;
        using (var connection = storage.GetConnection())
        {
            recurring = connection.GetRecurringJobs()
                .Select(r => new RecurringJobDto(r.Id, r.Cron, r.LastExecution, r.LastJobState, r.NextExecution, r.Error))
                .ToList();
        }
        return TypedResults.Ok(new JobsOverview(
            stats.Enqueued, stats.Scheduled, stats.Processing, stats.Succeeded, stats.Failed,
            monitoring.Servers().Select(s => new JobServerDto(s.Name, s.WorkersCount, [.. s.Queues], s.Heartbeat)).ToList(),
            monitoring.Queues().Select(q => new JobQueueDto(q.Name, q.Length, q.Fetched ?? 0)).ToList(),
            recurring));
    }

    /// <summary>Hangfire's connections come from the app's own pool (same settings, same limits).</summary>
    private sealed class PooledConnections(NpgsqlDataSource db) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => db.CreateConnection();
    }
}

/// <summary>This node's Hangfire server (queues `automation` and `default`) and the recurring jobs it keeps registered.</summary>
public sealed class JobServer(JobStorage storage, IServiceScopeFactory scopes, IRecurringJobManager recurring, IOptions<JobsOptions> options,
    ILoggerFactory loggers) : IHostedService, IDisposable
{
    public const string SweepUploadsJob = "sweep-unsent-uploads";

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
        // The safety net under snoozes' delayed jobs: wakes any snoozed conversation that is due (issue #16).
        recurring.AddOrUpdate<Features.Conversations.SnoozeService>(Features.Conversations.SnoozeService.SweepJob,
            snoozes => snoozes.SweepAsync(CancellationToken.None), Cron.Minutely(), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        // Working hours begin and snoozes end without any event: each minute the waiting queues are offered again (issue #16).
        recurring.AddOrUpdate<Features.Routing.Router>(Features.Routing.Router.DrainJob,
            router => router.DrainWaitingAsync(CancellationToken.None), Cron.Minutely(), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
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

/// <summary>
/// Hangfire logs through one static provider; this one forwards to the logger factory of the app that started last
/// and is still running, so an app disposed in the same process (tests start many) is never logged to.
/// </summary>
internal sealed class HangfireLogs : Hangfire.Logging.ILogProvider
{
    private static readonly HangfireLogs Instance = new();
    private static readonly List<ILoggerFactory> Live = [];

    public static void Use(ILoggerFactory loggers)
    {
        lock (Live)
        {
            Live.Add(loggers);
        }
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(Instance);
    }

    public static void Release(ILoggerFactory loggers)
    {
        lock (Live)
        {
            Live.Remove(loggers);
        }
    }

    public Hangfire.Logging.ILog GetLogger(string name) => new Forwarder(name);

    private sealed class Forwarder(string name) : Hangfire.Logging.ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            ILoggerFactory? loggers;
            lock (Live)
            {
                loggers = Live.LastOrDefault();
            }
            if (loggers is null)
            {
                return false;
            }
            var level = logLevel switch
            {
                Hangfire.Logging.LogLevel.Trace => LogLevel.Trace,
                Hangfire.Logging.LogLevel.Debug => LogLevel.Debug,
                Hangfire.Logging.LogLevel.Info => LogLevel.Information,
                Hangfire.Logging.LogLevel.Warn => LogLevel.Warning,
                Hangfire.Logging.LogLevel.Error => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            try
            {
                var logger = loggers.CreateLogger(name);
                if (messageFunc is null)
                {
                    return logger.IsEnabled(level);
                }
                if (logger.IsEnabled(level))
                {
#pragma warning disable CA2254 // Hangfire hands over finished messages, not templates.
                    logger.Log(level, exception, messageFunc());
#pragma warning restore CA2254
                }
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
