using System.Text.Json.Nodes;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Routing;

/// <summary>
/// Marks conversations whose customer has waited past the channel's first-response or reply target and pushes
/// `slaBreached` to supervisors — once per breach: the mark is set by one UPDATE (whichever node gets there) and
/// cleared when a person answers, so the next wait can breach again.
/// </summary>
public sealed class SlaMonitor(NpgsqlDataSource db, IRoutingPushes pushes, QueueFeed queue, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<SlaOptions> options, ILogger<SlaMonitor> logger, Notifications.NotificationStore notifications)
    : PollingWorker(db, logger)
{
    private sealed class Row
    {
        public long Id { get; init; }
        public DateTimeOffset WaitingSince { get; init; }
        public string Kind { get; init; } = "";
        public long? AssigneeId { get; init; }
        public string? AssigneeName { get; init; }
    }

    protected override string Name => "SLA scan";

    protected override TimeSpan Interval => options.Value.ScanInterval;

    protected override TimeProvider WaitClock => clock;

    protected override async Task<bool> RoundAsync(CancellationToken ct)
    {
        await ScanAsync(ct);
        return false;
    }

    /// <summary>A conversation past its target by the wall clock; on a channel with business hours, maybe not in working time.</summary>
    private sealed class Candidate
    {
        public long Id { get; init; }
        public DateTimeOffset WaitingSince { get; init; }
        public string Kind { get; init; } = "";
        public double Target { get; init; }
        public string? Hours { get; init; }
    }

    public async Task<int> ScanAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Past the target by the wall clock: a wait counted in business hours is never longer, so nothing else can be due.
        const string candidatesSql = """
            select c.id, c.waiting_since, case when c.awaiting_first_response then 'first_response' else 'reply' end as kind,
                   (case when c.awaiting_first_response then ch.settings -> 'sla' ->> 'firstResponseSeconds'
                         else ch.settings -> 'sla' ->> 'replySeconds' end)::double precision as target,
                   (ch.settings -> 'businessHours')::text as hours
            from conversations c join channels ch on ch.id = c.channel_id
            where c.waiting_since is not null and c.status not in ('resolved', 'snoozed') and c.sla_breached_at is null
              and c.waiting_since + make_interval(secs => (case when c.awaiting_first_response
                    then ch.settings -> 'sla' ->> 'firstResponseSeconds' else ch.settings -> 'sla' ->> 'replySeconds' end)::double precision) <= @now
            order by c.id
            """;
        // Marked only while still waiting since then (an answer or a new wait in between leaves it), by whichever node locks it.
        const string sql = """
            with due as (
                select c.id, d.kind
                from conversations c join unnest(@ids::bigint[], @kinds::text[], @since::timestamptz[]) as d(id, kind, since) on d.id = c.id
                where c.sla_breached_at is null and c.waiting_since = d.since and c.status not in ('resolved', 'snoozed')
                for update of c skip locked
            )
            update conversations c set sla_breached_at = @now, sla_breach_kind = due.kind
            from due
            where c.id = due.id
            returning c.id, c.waiting_since, due.kind, c.assignee_id, (select name from users where id = c.assignee_id) as assignee_name
            """;
        List<Row> breached;
        List<Notifications.CreatedNotification> notices;
        await using (var connection = await Db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            var candidates = await connection.QueryAsync<Candidate>(new CommandDefinition(candidatesSql, new { now = now.UtcDateTime }, tx, cancellationToken: ct));
            // Parsed once per channel's schedule per scan: a night's queue stays a candidate on every scan until morning.
            var schedules = new Dictionary<string, BusinessHours?>(StringComparer.Ordinal);
            var due = candidates.Where(c => InWorkingTime(c, now, schedules)).ToList();
            breached = due.Count == 0 ? [] : (await connection.QueryAsync<Row>(new CommandDefinition(sql, new
            {
                now = now.UtcDateTime, ids = due.Select(d => d.Id).ToArray(), kinds = due.Select(d => d.Kind).ToArray(),
                since = due.Select(d => d.WaitingSince.UtcDateTime).ToArray(),
            }, tx, cancellationToken: ct))).ToList();
            // The `sla_breach` notices commit with the mark: a breach is noticed exactly once.
            notices = await Notifications.NotificationStore.AddAsync(connection, tx, await BreachNoticesAsync(connection, tx, breached, now, ct), now, ct);
            await tx.CommitAsync(ct);
        }
        foreach (var b in breached)
        {
            await pushes.SlaBreachedAsync(new SlaBreach(b.Id, (long)(now - b.WaitingSince).TotalSeconds, b.Kind,
                b.AssigneeId is null ? null : new UserRef(b.AssigneeId.Value, b.AssigneeName ?? "")));
        }
        await notifications.PushAsync(notices);
        if (breached.Count > 0)
        {
            await queue.PushAsync(ct);
        }
        return breached.Count;
    }

    /// <summary>
    /// Whether the wait passed its target in working time: the channel's business hours when it has them (as the
    /// response-time figures count "within target"), else the wall clock. A night's wait is no breach until the morning.
    /// </summary>
    private static bool InWorkingTime(Candidate c, DateTimeOffset now, Dictionary<string, BusinessHours?> schedules)
    {
        if (c.Hours is null)
        {
            return true;
        }
        if (!schedules.TryGetValue(c.Hours, out var hours))
        {
            try
            {
                hours = JsonNode.Parse(c.Hours) is JsonObject json ? BusinessHours.Parse(json) : null;
            }
            catch (Exception ex) when (ex is FormatException or TimeZoneNotFoundException or InvalidTimeZoneException or InvalidOperationException
                or System.Text.Json.JsonException)
            {
                hours = null; // settings are checked when saved; an unreadable schedule leaves the wall clock
            }
            schedules[c.Hours] = hours;
        }
        return hours is null || hours.SecondsWithin(c.WaitingSince, now) >= c.Target;
    }

    private static async Task<List<Notifications.NotificationDraft>> BreachNoticesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<Row> breached,
        DateTimeOffset now, CancellationToken ct)
    {
        if (breached.Count == 0)
        {
            return [];
        }
        var staff = (await connection.QueryAsync<long>(new CommandDefinition(
            "select id from users where is_active and role in ('admin', 'supervisor')", transaction: tx, cancellationToken: ct))).ToList();
        var subjects = (await connection.QueryAsync<(long Id, string Contact, string Channel)>(new CommandDefinition($"""
            select c.id, {Notifications.NotificationStore.ContactName} as contact, ch.name as channel
            from conversations c join contacts ct on ct.id = c.contact_id join channels ch on ch.id = c.channel_id where c.id = any(@ids)
            """, new { ids = breached.Select(b => b.Id).ToArray() }, tx, cancellationToken: ct))).ToDictionary(r => r.Id);
        return [.. from b in breached
                   let subject = subjects.GetValueOrDefault(b.Id)
                   let waited = (long)(now - b.WaitingSince).TotalMinutes
                   from userId in staff
                   select new Notifications.NotificationDraft(userId, Notifications.NotificationKinds.SlaBreach,
                       $"SLA breached ({(b.Kind == "first_response" ? "first response" : "reply")}): {subject.Contact} ({subject.Channel}) has waited {waited} min"
                           + (b.AssigneeName is null ? ", unassigned." : $", assigned to {b.AssigneeName}."),
                       Notifications.NotificationStore.At("sla", b.Id, now), ConversationId: b.Id,
                       Data: new Notifications.NotificationData
                       {
                           Contact = subject.Contact, Channel = subject.Channel, Sla = b.Kind, WaitedMinutes = waited, Assignee = b.AssigneeName,
                       })];
    }
}
