using System.Globalization;
using ContactCenter.Benchmarks.Infrastructure;

namespace ContactCenter.Benchmarks.Scenarios;

/// <summary>
/// Scenario 5's sales reports (issue 17): tops the seeded deals up to 100,000 (20,000 with --quick) with a stage history,
/// a third of them closed won or lost, sources, 10,000 leads and some completed activities (set-based SQL on the server),
/// then measures the funnel and speed to lead by p99 over a year and over the page's default thirty days, and shows the
/// plans of their core reads (EXPLAIN) so the indexes doing the work are on record.
/// </summary>
public static class ReportQueries
{
    private const string Scenario = "5 queries";
    private const int Readers = 4;

    public static async Task RunAsync(BenchContext ctx, Seeder.Seeded seeded, string baseUrl, string adminToken)
    {
        var target = ctx.Options.Quick ? 20_000 : 100_000;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await SeedAsync(ctx, seeded, target);
        var deals = await ctx.AppDb.ScalarAsync<long>("select count(*) from deals");
        ctx.Report.Add(new Row(Scenario, "Report data (deals, history, leads)", $"{clock.Elapsed.TotalSeconds:0} s",
            Note: $"{deals:N0} deals with stage history, a third closed; 10,000 leads") { Number = clock.Elapsed.TotalSeconds });

        var now = DateTimeOffset.UtcNow;
        string Period(int days) => $"from={Uri.EscapeDataString(now.AddDays(-days).ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(now.ToString("O", CultureInfo.InvariantCulture))}";
        await Queries.MeasureAsync(ctx, $"Funnel report, a year ({deals:N0} deals)", baseUrl, adminToken, Readers, 250,
            _ => $"/api/reports/funnel?pipelineId={seeded.PipelineId}&{Period(365)}");
        await Queries.MeasureAsync(ctx, $"Funnel report, one manager, 30 days ({deals:N0} deals)", baseUrl, adminToken, Readers, 100,
            _ => $"/api/reports/funnel?pipelineId={seeded.PipelineId}&assigneeId={seeded.Managers[0].Id}&{Period(30)}");
        await Queries.MeasureAsync(ctx, $"Speed to lead, 30 days ({deals:N0} deals)", baseUrl, adminToken, Readers, 250,
            _ => $"/api/reports/speed-to-lead?groupBy=manager&{Period(30)}");
        await Queries.MeasureAsync(ctx, $"Speed to lead, a year ({deals:N0} deals)", baseUrl, adminToken, Readers, 1500,
            _ => $"/api/reports/speed-to-lead?groupBy=source&{Period(365)}");
        await Queries.MeasureAsync(ctx, $"Sales per manager, a year ({deals:N0} deals)", baseUrl, adminToken, Readers, 250,
            _ => $"/api/reports/sales?groupBy=manager&{Period(365)}");
        await ExplainAsync(ctx, seeded);
    }

    private static async Task SeedAsync(BenchContext ctx, Seeder.Seeded seeded, int target)
    {
        var managers = seeded.Managers.Select(m => m.Id).ToArray();
        // Top up to the target: contacts of the seeded conversations, creation spread over the last year.
        await ctx.AppDb.ExecuteAsync("""
            with c as (select array_agg(id order by id) as ids from contacts), missing as (select greatest(0, $1 - (select count(*) from deals)) as n),
                 st as (select array_agg(id order by sort) as ids from stages where pipeline_id = $2 and semantic = 'open')
            insert into deals (contact_id, pipeline_id, stage_id, title, amount, assignee_id, created_at, updated_at)
            select c.ids[1 + g % cardinality(c.ids)], $2, st.ids[1 + g % cardinality(st.ids)],
                   'Report deal ' || g, 100 + (g * 7919) % 99900, ($3::bigint[])[1 + g % cardinality($3::bigint[])],
                   now() - make_interval(days => (g % 365)::int, mins => (g % 1440)::int), now()
            from c, missing, st, generate_series(1, missing.n) g
            """, target, seeded.PipelineId, managers);
        // Sources; each deal walked the open stages up to its own (one day per stage) from its creation.
        await ctx.AppDb.ExecuteAsync("""
            update deals set source = (array['form', 'call', 'site', 'import'])[1 + id % 4] where source is null;
            insert into deal_stage_history (deal_id, stage_id, entered_at, left_at)
            select d.id, s.id, d.created_at + make_interval(days => s.sort - 1), null
            from deals d
            join stages cur on cur.id = d.stage_id
            join stages s on s.pipeline_id = d.pipeline_id and s.semantic = 'open' and s.sort <= cur.sort
            where not exists (select 1 from deal_stage_history h where h.deal_id = d.id)
            """);
        // A third closes: won or lost (with a reason) a week after creation, never in the future.
        await ctx.AppDb.ExecuteAsync("""
            with closing as (
                select d.id, case when d.id % 6 = 0 then 'won' else 'lost' end as outcome, least(now(), d.created_at + interval '7 days') as at
                from deals d where d.closed_at is null and d.id % 3 = 0
            ), updated as (
                update deals d set outcome = c.outcome, closed_at = c.at,
                    stage_id = (select s.id from stages s where s.pipeline_id = d.pipeline_id and s.semantic = c.outcome order by s.sort limit 1),
                    loss_reason_id = case when c.outcome = 'lost' then (select min(id) from loss_reasons) end
                from closing c where c.id = d.id
                returning d.id, d.stage_id, c.at
            )
            insert into deal_stage_history (deal_id, stage_id, entered_at) select id, stage_id, at from updated
            """);
        // Leads, and a completed activity on every tenth deal (a touch), then fresh statistics.
        await ctx.AppDb.ExecuteAsync("""
            with c as (select array_agg(id order by id) as ids from contacts)
            insert into leads (contact_id, title, status, source, assignee_id, created_at)
            select c.ids[1 + (g * 13) % cardinality(c.ids)], 'Report lead ' || g, case when g % 5 = 0 then 'junk' else 'new' end,
                   (array['form', 'call', 'site', 'import'])[1 + g % 4], ($1::bigint[])[1 + g % cardinality($1::bigint[])],
                   now() - make_interval(days => (g % 365)::int, mins => (g % 1440)::int)
            from c, generate_series(1, 10000 - (select count(*) from leads)) g
            """, managers);
        await ctx.AppDb.ExecuteAsync("""
            insert into activities (subject_type, subject_id, type, title, due_at, assignee_id, completed_at, completed_by)
            select 'deal', d.id, 'call', 'Call back', d.created_at + interval '1 hour', d.assignee_id, d.created_at + make_interval(mins => (d.id % 90)::int), d.assignee_id
            from deals d where d.id % 10 = 0 and not exists (select 1 from activities a where a.subject_type = 'deal' and a.subject_id = d.id)
            """);
        // Vacuumed as autovacuum would have done by then on a live system, so index-only reads see a set visibility map.
        await ctx.AppDb.ExecuteAsync("vacuum analyze deals, deal_stage_history, deal_funnel, leads, activities, conversations");
    }

    /// <summary>The plans of the reports' core reads, on record in the table: which index each one walks.</summary>
    private static async Task ExplainAsync(BenchContext ctx, Seeder.Seeded seeded)
    {
        (string Figure, string Sql, object[] Args)[] reads =
        [
            ("Funnel: one manager's deals of 30 days (deal_funnel)", """
                explain select f.stages, count(*), sum(f.amount) from deal_funnel f
                where f.pipeline_id = $1 and f.assignee_id = $2 and f.first_at >= now() - interval '30 days' and f.first_at < now() and f.last_at < now()
                group by f.stages
                """, [seeded.PipelineId, seeded.Managers[0].Id]),
            ("Sales / outcomes: deals closed in 30 days", """
                explain select d.outcome, count(*), sum(d.amount) from deals d where d.closed_at >= now() - interval '30 days' and d.closed_at < now() and d.outcome is not null group by 1
                """, []),
            // Three months back: the ingest scenario opened most of the table's leads in the last minutes, so "the last 30
            // days" is most of the table, where a sequential scan is the right plan and proves nothing about the index.
            ("Speed to lead: leads created in 30 days, three months back (first touch kept)", """
                explain select count(*), count(l.first_touch_at) from leads l where l.created_at >= now() - interval '120 days' and l.created_at < now() - interval '90 days'
                """, []),
            ("Speed to lead: deals created in 30 days", """
                explain select count(*) from deals d where d.created_at >= now() - interval '30 days' and d.created_at < now() and d.lead_id is null
                """, []),
            ("Supervisor queue: the 500 longest-waiting unassigned (QueueFeed)", """
                explain select c.id from conversations c where c.status not in ('resolved', 'snoozed') and c.assignee_id is null
                order by coalesce(c.waiting_since, c.created_at), c.id limit 500
                """, []),
            ("Counters: each channel's open unassigned conversations and unread (CountersQuery's queue part)", """
                explain select c.channel_id, count(*), sum(c.inbound_count) from conversations c
                where c.assignee_id is null and c.status <> 'resolved' and c.status <> 'snoozed' group by c.channel_id
                """, []),
            ("Push read: every read position in one conversation (ConversationQueries.ForPushAsync)", """
                explain select array_agg(r.user_id), array_agg(r.read_inbound_count) from conversation_reads r
                where r.conversation_id = (select max(conversation_id) from conversation_reads)
                """, []),
        ];
        foreach (var (figure, sql, args) in reads)
        {
            var plan = string.Join(" / ", (await ctx.AppDb.RowsAsync(sql, args)).Select(r => (string)r[0]!)
                .Where(l => l.Contains("Index", StringComparison.Ordinal) || l.Contains("Seq Scan", StringComparison.Ordinal) || l.Contains("Sort", StringComparison.Ordinal))
                .Select(l => l.Trim().TrimStart('-', '>', ' ')));
            var indexed = !plan.Contains("Seq Scan on deals", StringComparison.Ordinal) && !plan.Contains("Seq Scan on messages", StringComparison.Ordinal)
                && !plan.Contains("Seq Scan on deal_stage_history", StringComparison.Ordinal) && !plan.Contains("Seq Scan on deal_funnel", StringComparison.Ordinal)
                && !plan.Contains("Seq Scan on leads", StringComparison.Ordinal) && !plan.Contains("Seq Scan on conversations", StringComparison.Ordinal)
                && !plan.Contains("Seq Scan on conversation_reads", StringComparison.Ordinal)
                // A read of the first rows in an order must walk an index in that order, not sort everything that matches.
                && !(figure.StartsWith("Supervisor queue", StringComparison.Ordinal) && plan.Contains("Sort", StringComparison.Ordinal));
            ctx.Report.Add(new Row(Scenario, "EXPLAIN " + figure, indexed ? "index" : "scan", Goal: "no sequential scan of a big table", Met: indexed,
                Note: plan.Length > 300 ? plan[..300] : plan));
        }
    }
}
