using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactCenter.Api.Features.Crm.Automation;

/// <summary>
/// The CRM's clock, on every node: pushes `activityDue` and `countersChanged` when an activity becomes due (claimed
/// once across nodes by setting due_pushed_at), pushes counters when a new day makes activities "due today", and
/// hands due automation jobs to Hangfire (Hangfire's own scheduler reads the real clock, this one the app's TimeProvider). Time comes from TimeProvider, so tests move it with a fake clock; the poll itself is real time.
/// </summary>
public sealed class CrmScheduler(NpgsqlDataSource db, TimeProvider clock, AutomationRunner automation, ActivityService activities, CrmNotifier notifier,
    ICrmPushes pushes, IOptions<CrmOptions> options, ILogger<CrmScheduler> logger, Notifications.ActivityNotices notices)
    : PollingWorker(db, logger)
{
    private DateTime? day;

    protected override string Name => "CRM scheduler";

    protected override string NotifyChannel => "cc_automation";

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override Task<bool> RoundAsync(CancellationToken ct) => RunOnceAsync(ct);

    /// <summary>One round; true when there may be more due work right away.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await PushDueActivitiesAsync(now, ct);
        await notices.RemindAsync(now, ct);
        await PushNewDayAsync(now, ct);
        var jobs = await automation.QueueDueAsync(now, ct);
        return due >= options.Value.BatchSize || jobs >= options.Value.BatchSize;
    }

    private async Task<int> PushDueActivitiesAsync(DateTimeOffset now, CancellationToken ct)
    {
        const string claim = """
            update activities set due_pushed_at = @now
            where id in (select id from activities where completed_at is null and due_pushed_at is null and due_at <= @now
                         order by due_at, id limit @batch for update skip locked)
            returning id, assignee_id
            """;
        List<(long Id, long? AssigneeId)> claimed;
        await using (var connection = await Db.OpenConnectionAsync(ct))
        {
            claimed = (await connection.QueryAsync<(long, long?)>(new CommandDefinition(claim,
                new { now = now.UtcDateTime, batch = options.Value.BatchSize }, cancellationToken: ct))).ToList();
        }
        foreach (var (id, assigneeId) in claimed)
        {
            if (assigneeId is not null && await activities.GetForAsync(id, assigneeId.Value, ct) is { } activity)
            {
                await notifier.ActivityDueAsync(assigneeId.Value, activity);
            }
        }
        // Claimed once across nodes (due_pushed_at), and the notice's unique key keeps a retried round from doubling it.
        await notices.OverdueAsync(claimed.Where(c => c.AssigneeId is not null).Select(c => c.Id).ToList(), now, ct);
        var users = claimed.Where(c => c.AssigneeId is not null).Select(c => c.AssigneeId!.Value).Distinct().ToList();
        if (users.Count > 0)
        {
            await pushes.PushCountersAsync(users, ct);
        }
        return claimed.Count;
    }

    /// <summary>At midnight (UTC) tomorrow's activities become today's: their owners' counters change.</summary>
    private async Task PushNewDayAsync(DateTimeOffset now, CancellationToken ct)
    {
        var today = now.UtcDateTime.Date;
        if (day == today)
        {
            return;
        }
        var first = day is null;
        day = today;
        if (first)
        {
            return;
        }
        await using var connection = await Db.OpenConnectionAsync(ct);
        var users = (await connection.QueryAsync<long>(new CommandDefinition("""
            select distinct assignee_id from activities
            where completed_at is null and assignee_id is not null and due_at >= @start and due_at < @end
            """, new { start = today, end = today.AddDays(1) }, cancellationToken: ct))).ToList();
        if (users.Count > 0)
        {
            await pushes.PushCountersAsync(users, ct);
        }
    }
}
