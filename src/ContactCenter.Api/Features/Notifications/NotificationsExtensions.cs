using Hangfire;
using Microsoft.Extensions.Options;

namespace ContactCenter.Api.Features.Notifications;

public static class NotificationsExtensions
{
    /// <summary>The notification centre, settings, @mentions and the daily overdue digest (issue #16).</summary>
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<NotificationOptions>().BindConfiguration("Notifications")
            .Validate(o => o.DigestHour is >= 0 and <= 23, "Notifications:DigestHour is an hour from 0 to 23.")
            .Validate(o => o.ActivityReminder >= TimeSpan.Zero, "Notifications:ActivityReminder may not be negative.")
            .ValidateOnStart();
        services.AddSingleton<NotificationStore>();
        services.AddSingleton<Mentions>();
        services.AddSingleton<ActivityNotices>();
        services.AddTransient<OverdueDigest>();
        services.AddHostedService<DigestSchedule>();
        return builder;
    }

    /// <summary>Keeps the digest's recurring job registered at the configured hour (every node may; Hangfire keeps one).</summary>
    private sealed class DigestSchedule(IRecurringJobManager recurring, IOptions<NotificationOptions> options, IOptions<Infrastructure.JobsOptions> jobs) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (jobs.Value.Server)
            {
                recurring.AddOrUpdate<OverdueDigest>(OverdueDigest.JobId, digest => digest.RunAsync(CancellationToken.None),
                    Cron.Daily(options.Value.DigestHour), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
            }
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
