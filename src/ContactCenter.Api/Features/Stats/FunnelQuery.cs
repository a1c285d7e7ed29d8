using ContactCenter.Api.Features.Crm;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Stats;

/// <summary>
/// One stage of the funnel. Entered: deals that entered this very stage in the period (from the stage history).
/// Reached: deals whose furthest step on the path (open stages in order, then won) entered in the period is this stage
/// or beyond, so a deal that skipped a stage still counts as having passed it; conversion to the next step is Reached
/// of the next step over Reached of this one. A lost stage is an exit: its Reached is its Entered.
/// Amount and ReachedAmount add amounts whatever their currency (kept for older clients); AmountByCurrency and
/// ReachedAmountByCurrency are the same sums per currency.
/// </summary>
public sealed record FunnelStage(long StageId, string Name, string Semantic, long Entered, decimal Amount, double? ConversionToNext,
    long Reached = 0, decimal ReachedAmount = 0)
{
    public IReadOnlyList<CurrencyAmount> AmountByCurrency { get; init; } = [];

    public IReadOnlyList<CurrencyAmount> ReachedAmountByCurrency { get; init; } = [];
}

/// <summary>Closed deals: Amount adds every currency (kept for older clients); AmountByCurrency is per currency.</summary>
public sealed record FunnelOutcome(long Count, decimal Amount, IReadOnlyList<CurrencyAmount> AmountByCurrency);

public sealed record FunnelLossReason(long? Id, string Name, long Count, decimal Amount, IReadOnlyList<CurrencyAmount> AmountByCurrency);

public sealed record Funnel(long PipelineId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<FunnelStage> Stages,
    FunnelOutcome Won, FunnelOutcome Lost, IReadOnlyList<FunnelLossReason> LossReasons);

/// <summary>Narrows the funnel to one manager's deals and/or one source (null: all).</summary>
public sealed record FunnelFilter(long? AssigneeId = null, string? Source = null);

/// <summary>
/// Per stage of a pipeline: how many deals entered it in the period (from the stage history), their amounts, how many
/// reached it or went beyond, and the share that went on to the next step; won and lost deals closed in the period,
/// and why they were lost. Used by /api/stats/funnel and /api/reports/funnel (which adds the filters).
/// </summary>
public sealed class FunnelQuery(NpgsqlDataSource db)
{
    private sealed class StageRow
    {
        public long StageId { get; init; }
        public string Name { get; init; } = "";
        public string Semantic { get; init; } = "";
        public int Sort { get; init; }
        public long Entered { get; init; }
        public decimal Amount { get; init; }
        public long Reached { get; init; }
        public decimal ReachedAmount { get; init; }
        public string? Currency { get; init; }
        public decimal CurrencyAmount { get; init; }
        public decimal CurrencyReachedAmount { get; init; }
    }

    /// <summary>The pipeline asked for, else the default one (0 when there is none).</summary>
    public async Task<long> PipelineOrDefaultAsync(long? pipelineId, CancellationToken ct)
    {
        if (pipelineId is { } given)
        {
            return given;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("select id from pipelines where is_default", cancellationToken: ct));
    }

    public async Task<Funnel?> ReadAsync(long pipelineId, DateTimeOffset from, DateTimeOffset to, FunnelFilter filter, CancellationToken ct)
    {
        // Deals are counted by the set of stages they entered in the period, kept per deal and pipeline in deal_funnel
        // (migration 1124): a deal whose entries all fall inside the period brings its kept set from the index alone;
        // one with entries on both sides of an edge (few) has its period's entries read from the history. The sets are
        // then grouped (a handful of distinct paths per currency), so each stage sums a few rows. A stage comes back once
        // per currency of the paths (with that currency's sums), its counts and all-currency sums repeated on each.
        const string sql = """
            select exists(select 1 from pipelines where id = @pipelineId);
            with paths as materialized (
                select stages, currency, sum(n) as n, sum(amount) as amount
                from (
                    select f.stages, f.currency, count(*) as n, sum(f.amount) as amount
                    from deal_funnel f
                    where f.pipeline_id = @pipelineId and f.first_at >= @from and f.first_at < @to and f.last_at < @to
                      and (@assigneeId::bigint is null or f.assignee_id = @assigneeId) and (@source::text is null or f.source = @source)
                    group by f.stages, f.currency
                    union all
                    select e.stages, e.currency, 1, e.amount
                    from (
                        select f.deal_id, f.amount, f.currency,
                               array(select distinct h.stage_id from deal_stage_history h join stages s on s.id = h.stage_id and s.pipeline_id = @pipelineId
                                     where h.deal_id = f.deal_id and h.entered_at >= @from and h.entered_at < @to order by h.stage_id) as stages
                        from deal_funnel f
                        where f.pipeline_id = @pipelineId and f.first_at < @to and f.last_at >= @from and (f.first_at < @from or f.last_at >= @to)
                          and (@assigneeId::bigint is null or f.assignee_id = @assigneeId) and (@source::text is null or f.source = @source)
                    ) e
                ) x
                group by stages, currency
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
            select d.outcome, d.currency, count(*) as count, coalesce(sum(d.amount), 0) as amount
            from deals d where d.pipeline_id = @pipelineId and d.closed_at >= @from and d.closed_at < @to and d.outcome is not null
              and (@assigneeId::bigint is null or d.assignee_id = @assigneeId) and (@source::text is null or d.source = @source)
            group by d.outcome, d.currency
            order by d.outcome, count(*) desc, d.currency;
            select r.id, coalesce(r.name, s.name, 'No reason') as name, d.currency, count(*) as count, coalesce(sum(d.amount), 0) as amount
            from deals d left join loss_reasons r on r.id = d.loss_reason_id left join stages s on s.id = d.stage_id and s.semantic = 'lost'
            where d.pipeline_id = @pipelineId and d.closed_at >= @from and d.closed_at < @to and d.outcome = 'lost'
              and (@assigneeId::bigint is null or d.assignee_id = @assigneeId) and (@source::text is null or d.source = @source)
            group by r.id, coalesce(r.name, s.name, 'No reason'), d.currency;
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql,
            new { pipelineId, from = from.UtcDateTime, to = to.UtcDateTime, assigneeId = filter.AssigneeId, source = filter.Source }, cancellationToken: ct));
        if (!await grid.ReadSingleAsync<bool>())
        {
            return null;
        }
        // One row per stage and currency: the stage's figures from its first row, the currencies' sums from all of them.
        var stages = (await grid.ReadAsync<StageRow>()).GroupBy(r => r.StageId)
            .Select(g => (Row: g.First(), ByCurrency: g.Where(r => r.Currency is not null).ToList())).ToList();
        var outcomes = (await grid.ReadAsync<(string Outcome, string Currency, long Count, decimal Amount)>()).ToLookup(o => o.Outcome);
        var reasons = (await grid.ReadAsync<(long? Id, string Name, string Currency, long Count, decimal Amount)>())
            .GroupBy(r => (r.Id, r.Name))
            .Select(g => new FunnelLossReason(g.Key.Id, g.Key.Name, g.Sum(r => r.Count), g.Sum(r => r.Amount), PerCurrency(g.Select(r => (r.Currency, r.Count, r.Amount)))))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        // The path of a sale: open stages in order, then won. Lost stages are exits, not steps.
        var path = stages.Select(s => s.Row).Where(s => s.Semantic != "lost").ToList();
        var result = stages.Select(x =>
        {
            var s = x.Row;
            var index = path.IndexOf(s);
            double? conversion = index >= 0 && index + 1 < path.Count && s.Reached > 0 ? (double)path[index + 1].Reached / s.Reached : null;
            return new FunnelStage(s.StageId, s.Name, s.Semantic, s.Entered, s.Amount, conversion, s.Reached, s.ReachedAmount)
            {
                AmountByCurrency = x.ByCurrency.Where(c => c.CurrencyAmount != 0).Select(c => new CurrencyAmount(c.Currency!, c.CurrencyAmount)).ToList(),
                ReachedAmountByCurrency = x.ByCurrency.Where(c => c.CurrencyReachedAmount != 0).Select(c => new CurrencyAmount(c.Currency!, c.CurrencyReachedAmount)).ToList(),
            };
        }).ToList();
        FunnelOutcome Outcome(string name)
        {
            var rows = outcomes[name].ToList();
            return new FunnelOutcome(rows.Sum(o => o.Count), rows.Sum(o => o.Amount), PerCurrency(rows.Select(o => (o.Currency, o.Count, o.Amount))));
        }
        return new Funnel(pipelineId, from, to, result, Outcome("won"), Outcome("lost"), reasons);
    }

    /// <summary>Sums per currency, the currency of most deals first (as the stages list theirs and the board its columns').</summary>
    private static List<CurrencyAmount> PerCurrency(IEnumerable<(string Currency, long Count, decimal Amount)> rows) =>
        rows.OrderByDescending(r => r.Count).ThenBy(r => r.Currency, StringComparer.Ordinal).Select(r => new CurrencyAmount(r.Currency, r.Amount)).ToList();
}
