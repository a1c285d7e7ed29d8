using ContactCenter.Api.Auth;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactCenter.Api.Infrastructure;

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
