namespace ContactCenter.Api.Features.Stats;

/// <summary>
/// The funnel's statements (<see cref="FunnelQuery"/>), read from the deals' rows or from the rollups. Either way: whether
/// the pipeline exists; one row per stage and currency of the paths; the closed deals per outcome and currency; the lost
/// ones per reason and currency.
/// </summary>
/// <remarks>
/// Deals are counted by the set of stages they entered in the period, kept per deal and pipeline in deal_funnel
/// (migration 1124): a deal whose entries all fall inside the period brings its kept set; one with entries on both sides
/// of an edge (few) has its period's entries read from the history. The sets are grouped into paths (a handful of
/// distinct sets per currency), so each stage sums a few rows. A stage comes back once per currency of the paths (with
/// that currency's sums), its counts and all-currency sums repeated on each.
/// </remarks>
internal static class FunnelSql
{
    private const string Filters = "(@assigneeId::bigint is null or f.assignee_id = @assigneeId) and (@source::text is null or f.source = @source)";

    // Deals with entries on both sides of an edge: their entries inside the period, from the history. Those are the deals
    // whose span (first to last entry) holds an edge, found by the span index (migration 1140); the first/last indexes
    // would each read every deal before the period or after its start.
    private const string Crossing = $"""
        select e.stages, e.currency, 1 as n, e.amount
        from (
            select f.deal_id, f.amount, f.currency,
                   array(select distinct h.stage_id from deal_stage_history h join stages s on s.id = h.stage_id and s.pipeline_id = @pipelineId
                         where h.deal_id = f.deal_id and h.entered_at >= @from and h.entered_at < @to order by h.stage_id) as stages
            from deal_funnel f
            where f.pipeline_id = @pipelineId and (tstzrange(f.first_at, f.last_at, '[]') @> @from::timestamptz or tstzrange(f.first_at, f.last_at, '[]') @> @to::timestamptz)
              and f.first_at < @to and f.last_at >= @from and (f.first_at < @from or f.last_at >= @to) and {Filters}
        ) e
        """;

    // Every deal whose entries all fall inside the period, with its kept set.
    private const string InsideFromDeals = $"""
        select f.stages, f.currency, count(*) as n, sum(f.amount) as amount
        from deal_funnel f
        where f.pipeline_id = @pipelineId and f.first_at >= @from and f.first_at < @to and f.last_at < @to and {Filters}
        group by f.stages, f.currency
        """;

    // The same from the rollups: the deals that began in the whole months and days (rollup rows) and in the partial days
    // at the edges (their own rows), less those of them that entered a stage after the period (the crossing part counts
    // them by their entries inside it).
    private const string InsideFromRollups = $"""
        select r.stages, r.currency, r.deals as n, r.amount from deal_funnel_rollups r
        where r.pipeline_id = @pipelineId and r.grain = 'm' and r.period >= @monthsFrom and r.period < @monthsTo and (@source::text is null or r.source = @source)
        union all
        select r.stages, r.currency, r.deals, r.amount from deal_funnel_rollups r
        where r.pipeline_id = @pipelineId and r.grain = 'd' and ((r.period >= @daysFrom and r.period < @monthsFrom) or (r.period >= @monthsTo and r.period < @daysTo))
          and (@source::text is null or r.source = @source)
        union all
        select f.stages, f.currency, 1, f.amount from deal_funnel f
        where f.pipeline_id = @pipelineId and ((f.first_at >= @raw1From and f.first_at < @raw1To) or (f.first_at >= @raw2From and f.first_at < @raw2To))
          and {Filters}
        union all
        select f.stages, f.currency, -1, -f.amount from deal_funnel f
        where f.pipeline_id = @pipelineId and tstzrange(f.first_at, f.last_at, '[]') @> @to::timestamptz
          and f.last_at >= @to and f.first_at >= @from and f.first_at < @to and {Filters}
        """;

    private static string Stages(string inside) => $"""
        with paths as materialized (
            select stages, currency, sum(n) as n, sum(amount) as amount
            from ({inside} union all {Crossing}) x
            group by stages, currency
            having sum(n) <> 0
        ), reach as (
            -- A path's furthest step: its last open stage in order, or won. Lost stages are exits, not steps.
            select (select max(s.sort) from stages s where s.id = any(p.stages) and s.semantic <> 'lost') as sort, p.currency, p.n, p.amount from paths p
        ), per_stage as (
            select s.id as stage_id, sum(p.n) as entered, sum(p.amount) as amount
            from stages s join paths p on s.id = any(p.stages)
            where s.pipeline_id = @pipelineId
            group by s.id
        )
        select s.id as stage_id, s.name, s.semantic, s.sort,
               coalesce(p.entered, 0)::bigint as entered, coalesce(p.amount, 0) as amount,
               case when s.semantic = 'lost' then coalesce(p.entered, 0)::bigint else (select coalesce(sum(r.n), 0)::bigint from reach r where r.sort >= s.sort) end as reached,
               case when s.semantic = 'lost' then coalesce(p.amount, 0) else (select coalesce(sum(r.amount), 0) from reach r where r.sort >= s.sort) end as reached_amount,
               c.currency, c.amount as currency_amount,
               case when s.semantic = 'lost' then c.amount
                    else (select coalesce(sum(r.amount), 0) from reach r where r.sort >= s.sort and r.currency = c.currency) end as currency_reached_amount
        from stages s left join per_stage p on p.stage_id = s.id
        left join lateral (
            select cur.currency, cur.deals, (select coalesce(sum(pc.amount), 0) from paths pc where pc.currency = cur.currency and s.id = any(pc.stages)) as amount
            from (select currency, sum(n) as deals from paths group by currency) cur
        ) c on true
        where s.pipeline_id = @pipelineId
        order by s.sort, s.id, c.deals desc, c.currency;
        """;

    private const string DealFilters = "(@assigneeId::bigint is null or d.assignee_id = @assigneeId) and (@source::text is null or d.source = @source)";

    // Closed deals (one row each) of the period, or of its partial edge days only.
    private const string ClosedDeals = $"""
        select d.outcome, d.currency, d.loss_reason_id, d.stage_id, 1 as n, d.amount
        from deals d where d.pipeline_id = @pipelineId and d.closed_at >= @from and d.closed_at < @to and d.outcome is not null and {DealFilters}
        """;

    private const string ClosedFromRollups = $"""
        select o.outcome, o.currency, o.loss_reason_id, o.stage_id, o.deals as n, o.amount from deal_outcome_rollups o
        where o.pipeline_id = @pipelineId and o.grain = 'm' and o.period >= @monthsFrom and o.period < @monthsTo and (@source::text is null or o.source = @source)
        union all
        select o.outcome, o.currency, o.loss_reason_id, o.stage_id, o.deals, o.amount from deal_outcome_rollups o
        where o.pipeline_id = @pipelineId and o.grain = 'd' and ((o.period >= @daysFrom and o.period < @monthsFrom) or (o.period >= @monthsTo and o.period < @daysTo))
          and (@source::text is null or o.source = @source)
        union all
        select d.outcome, d.currency, d.loss_reason_id, d.stage_id, 1, d.amount
        from deals d where d.pipeline_id = @pipelineId and d.outcome is not null
          and ((d.closed_at >= @raw1From and d.closed_at < @raw1To) or (d.closed_at >= @raw2From and d.closed_at < @raw2To)) and {DealFilters}
        """;

    private static string Outcomes(string closed) => $"""
        select c.outcome, c.currency, sum(c.n)::bigint as count, coalesce(sum(c.amount), 0) as amount
        from ({closed}) c group by c.outcome, c.currency having sum(c.n) <> 0
        order by c.outcome, sum(c.n) desc, c.currency;
        select r.id, coalesce(r.name, s.name, 'No reason') as name, c.currency, sum(c.n)::bigint as count, coalesce(sum(c.amount), 0) as amount
        from ({closed}) c left join loss_reasons r on r.id = c.loss_reason_id left join stages s on s.id = c.stage_id and s.semantic = 'lost'
        where c.outcome = 'lost'
        group by r.id, coalesce(r.name, s.name, 'No reason'), c.currency having sum(c.n) <> 0;
        """;

    private const string Exists = "select exists(select 1 from pipelines where id = @pipelineId);\n";

    /// <summary>Everything from the deals' rows (a manager's funnel; the reference the rollups are tested against).</summary>
    public static readonly string FromDeals = Exists + Stages(InsideFromDeals) + Outcomes(ClosedDeals);

    /// <summary>Whole months and days from the rollups, the edges from the deals' rows (the whole team's funnel).</summary>
    public static readonly string FromRollups = Exists + Stages(InsideFromRollups) + Outcomes(ClosedFromRollups);
}
