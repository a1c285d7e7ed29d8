using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactCenter.Api.Features.Notifications;

/// <summary>
/// `activity_due` (the reminder, <see cref="NotificationOptions.ActivityReminder"/> before the due time) and
/// `activity_overdue` (when the CRM scheduler claims the activity at its due time), each once per activity and owner.
/// The text is English with the time in UTC (the email digest and older clients show it); the web app words the notice
/// from its data (title, due time) in its user's language and time zone.
/// </summary>
public sealed class ActivityNotices(NpgsqlDataSource db, NotificationStore store, IOptions<NotificationOptions> options)
{
    private sealed class Row
    {
        public long Id { get; init; }
        public long AssigneeId { get; init; }
        public string Title { get; init; } = "";
        public string SubjectType { get; init; } = "";
        public long SubjectId { get; init; }
        public DateTimeOffset DueAt { get; init; }
    }

    private const string Select = "select a.id, a.assignee_id, a.title, a.subject_type, a.subject_id, a.due_at from activities a";

    /// <summary>Reminders for activities falling due within the reminder window; the unique key makes a second round a no-op.</summary>
    public async Task RemindAsync(DateTimeOffset now, CancellationToken ct)
    {
        var sql = $"""
            {Select}
            where a.completed_at is null and a.assignee_id is not null and a.due_at > @now and a.due_at <= @until
              and not exists (select 1 from notifications n where n.user_id = a.assignee_id and n.kind = 'activity_due' and n.dedupe_key = 'activity:' || a.id)
            order by a.due_at, a.id limit 200
            """;
        List<Row> rows;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            rows = (await connection.QueryAsync<Row>(new CommandDefinition(sql,
                new { now = now.UtcDateTime, until = (now + options.Value.ActivityReminder).UtcDateTime }, cancellationToken: ct))).ToList();
        }
        await store.AddAndPushAsync(rows.Select(r => Draft(r, NotificationKinds.ActivityDue, $"Due at {r.DueAt:HH:mm} UTC: {r.Title}")).ToList(), now, ct);
    }

    /// <summary>The activities the scheduler just claimed as due (now overdue).</summary>
    public async Task OverdueAsync(IReadOnlyCollection<long> activityIds, DateTimeOffset now, CancellationToken ct)
    {
        if (activityIds.Count == 0)
        {
            return;
        }
        List<Row> rows;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            rows = (await connection.QueryAsync<Row>(new CommandDefinition($"{Select} where a.id = any(@ids) and a.assignee_id is not null and a.completed_at is null",
                new { ids = activityIds.ToArray() }, cancellationToken: ct))).ToList();
        }
        await store.AddAndPushAsync(rows.Select(r => Draft(r, NotificationKinds.ActivityOverdue, $"Overdue: {r.Title}")).ToList(), now, ct);
    }

    private static NotificationDraft Draft(Row r, string kind, string text) => new(r.AssigneeId, kind, text, NotificationStore.Of("activity", r.Id),
        DealId: r.SubjectType == "deal" ? r.SubjectId : null, LeadId: r.SubjectType == "lead" ? r.SubjectId : null, ActivityId: r.Id,
        Data: new NotificationData { Title = r.Title, DueAt = r.DueAt });
}
