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

    /// <summary>
    /// The funnel of a period. The whole team's (no assignee filter) reads its whole UTC days and months from the rollups
    /// (migration 1140) and only the partial days at the edges, and the deals crossing them, from the deals' rows; a
    /// manager's reads that manager's deals (few, from the manager's index). Both give the same figures (FunnelRollupTests).
    /// </summary>
    public Task<Funnel?> ReadAsync(long pipelineId, DateTimeOffset from, DateTimeOffset to, FunnelFilter filter, CancellationToken ct) =>
        ReadAsync(pipelineId, from, to, filter, fromRollups: filter.AssigneeId is null, ct);

    /// <summary>The funnel read from the rollups or, with <paramref name="fromRollups"/> false, from the deals' rows alone.</summary>
    internal async Task<Funnel?> ReadAsync(long pipelineId, DateTimeOffset from, DateTimeOffset to, FunnelFilter filter, bool fromRollups, CancellationToken ct)
    {
        if (fromRollups && filter.AssigneeId is not null)
        {
            throw new ArgumentException("The rollups do not know assignees: a manager's funnel is read from the deals.", nameof(filter));
        }
        var plan = PeriodPlan.Of(from.UtcDateTime, to.UtcDateTime);
        var sql = fromRollups ? FunnelSql.FromRollups : FunnelSql.FromDeals;
        await using var connection = await db.OpenConnectionAsync(ct);
        // One snapshot for the stages, outcomes and loss reasons: a deal moving or closing between the statements was
        // counted twice or not at all.
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql,
            new
            {
                pipelineId, from = from.UtcDateTime, to = to.UtcDateTime, assigneeId = filter.AssigneeId, source = filter.Source,
                daysFrom = Day(plan.DaysFrom), daysTo = Day(plan.DaysTo), monthsFrom = Day(plan.MonthsFrom), monthsTo = Day(plan.MonthsTo),
                raw1From = plan.Raw1From, raw1To = plan.Raw1To, raw2From = plan.Raw2From, raw2To = plan.Raw2To,
            }, tx, cancellationToken: ct));
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

    // A UTC day as a `timestamp` parameter (compared with the rollups' `date` periods; no time zone involved).
    private static DateTime Day(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);

    /// <summary>Sums per currency, the currency of most deals first (as the stages list theirs and the board its columns').</summary>
    private static List<CurrencyAmount> PerCurrency(IEnumerable<(string Currency, long Count, decimal Amount)> rows) =>
        rows.OrderByDescending(r => r.Count).ThenBy(r => r.Currency, StringComparer.Ordinal).Select(r => new CurrencyAmount(r.Currency, r.Amount)).ToList();
}
