using ContactCenter.Api.Infrastructure;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Reports;

/// <summary>
/// One group of the leads and deals created in the period. Touched: those with a first human touch; median and p90 are
/// minutes from creation to that touch over the touched ones; WithinFiveMinutesShare is over all of them (an untouched
/// one was not touched within five minutes).
/// </summary>
public sealed record SpeedRow(string Key, string Label, long Count, long Touched, double? MedianMinutes, double? P90Minutes, double? WithinFiveMinutesShare);

public sealed record UntouchedItem(string Kind, long Id, string Title, DateTimeOffset CreatedAt, long? AssigneeId, string? AssigneeName);

public sealed record SpeedToLeadResult(DateTimeOffset From, DateTimeOffset To, string GroupBy, SpeedRow Overall, IReadOnlyList<SpeedRow> Rows,
    IReadOnlyList<UntouchedItem> Untouched);

/// <summary>
/// Speed to lead: from a lead's or a deal's creation, whatever its source, to the first human touch — a reply by a staff
/// user in any conversation of its contact, a call with the contact (outbound, or inbound and answered), or a completed
/// activity of the lead or deal — all at or after the creation. Deals converted from a lead are left out: their first
/// touch is their lead's. Untouched lists the open ones still waiting, oldest first.
/// </summary>
public sealed class SpeedToLeadReport(NpgsqlDataSource db)
{
    public static readonly string[] Groupings = ["manager", "source", "channel"];

    public const int UntouchedLimit = 200;

    // One row shape for both parts of the answer (the groups and the untouched list), so the subjects are read once.
    private sealed class Row
    {
        public string Part { get; init; } = "";
        public string? Key { get; init; }
        public string? Label { get; init; }
        public int Overall { get; init; }
        public long Count { get; init; }
        public long Touched { get; init; }
        public double? Median { get; init; }
        public double? P90 { get; init; }
        public double? Within { get; init; }
        public string? Kind { get; init; }
        public long Id { get; init; }
        public string? Title { get; init; }
        public DateTimeOffset? CreatedAt { get; init; }
        public long? AssigneeId { get; init; }
        public string? AssigneeName { get; init; }
    }

    // The first touch is kept on each lead and deal by the database (migration 1122, triggers on messages, activities,
    // conversations and the subjects), so a period's subjects are read from covering creation-date indexes alone; the
    // channel (one probe per subject) only when grouping by it, and the titles only for the untouched ones listed.
    private const string Subjects = """
        with subjects as materialized (
            select 'lead' as kind, l.id, l.created_at, l.assignee_id, l.source, l.status in ('new', 'in_work') as open,
                   case when @groupBy = 'channel' then (select c.channel_id from conversations c where c.lead_id = l.id order by c.id limit 1) end as channel_id,
                   l.first_touch_at as touched_at
            from leads l where l.created_at >= @from and l.created_at < @to
            union all
            select 'deal', d.id, d.created_at, d.assignee_id, d.source, d.closed_at is null,
                   case when @groupBy = 'channel' then (select c.channel_id from conversations c where c.deal_id = d.id order by c.id limit 1) end,
                   d.first_touch_at
            from deals d where d.created_at >= @from and d.created_at < @to and d.lead_id is null
        )
        """;

    private const string Sql = Subjects + """
        select 'group' as part, g.key, max(g.label) as label, grouping(g.key) as overall, count(*) as count, count(g.minutes) as touched,
               percentile_cont(0.5) within group (order by g.minutes) as median,
               percentile_cont(0.9) within group (order by g.minutes) as p90,
               avg(case when g.minutes <= 5 then 1.0 else 0.0 end)::double precision as within,
               null::text as kind, 0::bigint as id, null::text as title, null::timestamptz as created_at, null::bigint as assignee_id, null::text as assignee_name
        from (
            select case @groupBy
                       when 'manager' then coalesce(s.assignee_id::text, '')
                       when 'source' then coalesce(s.source, '')
                       else coalesce(s.channel_id::text, '') end as key,
                   case @groupBy when 'manager' then u.name when 'source' then s.source else ch.name end as label,
                   extract(epoch from s.touched_at - s.created_at)::double precision / 60.0 as minutes
            from subjects s left join users u on u.id = s.assignee_id left join channels ch on ch.id = s.channel_id
        ) g
        group by grouping sets ((g.key), ())
        union all
        select 'untouched', null::text, null::text, 0, 0::bigint, 0::bigint, null::double precision, null::double precision, null::double precision,
               t.kind, t.id,
               case t.kind when 'lead' then (select l.title from leads l where l.id = t.id) else (select d.title from deals d where d.id = t.id) end,
               t.created_at, t.assignee_id, u.name
        from (
            select s.kind, s.id, s.created_at, s.assignee_id from subjects s
            where s.touched_at is null and s.open
            order by s.created_at, s.kind, s.id
            limit @limit) t
        left join users u on u.id = t.assignee_id
        """;

    public async Task<SpeedToLeadResult> ReadAsync(ReportPeriod period, string groupBy, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var all = (await connection.QueryAsync<Row>(new CommandDefinition(Sql,
            new { groupBy, from = period.FromUtc, to = period.ToUtc, limit = UntouchedLimit }, cancellationToken: ct))).ToList();
        var rows = all.Where(r => r.Part == "group").ToList();
        var untouched = all.Where(r => r.Part == "untouched").OrderBy(r => r.CreatedAt).ThenBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.Id)
            .Select(u => new UntouchedItem(u.Kind!, u.Id, u.Title ?? "", u.CreatedAt!.Value, u.AssigneeId, u.AssigneeName)).ToList();
        SpeedRow Map(Row r) => new(r.Key ?? "", r.Key is null or "" ? Empty(groupBy) : r.Label ?? r.Key, r.Count, r.Touched,
            Round(r.Median), Round(r.P90), r.Within);
        var overall = rows.FirstOrDefault(r => r.Overall == 1) is { } o ? Map(o) with { Key = "", Label = "All" } : new SpeedRow("", "All", 0, 0, null, null, null);
        var groups = rows.Where(r => r.Overall == 0).Select(Map).OrderByDescending(r => r.Count).ThenBy(r => r.Label, StringComparer.Ordinal).ToList();
        return new SpeedToLeadResult(period.From, period.To, groupBy, overall, groups, untouched);
    }

    private static double? Round(double? minutes) => minutes is { } m ? Math.Round(m, 2) : null;

    private static string Empty(string groupBy) => groupBy switch
    {
        "manager" => "Unassigned",
        "source" => "No source",
        _ => "No conversation",
    };
}
