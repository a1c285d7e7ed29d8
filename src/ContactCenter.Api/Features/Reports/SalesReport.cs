using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Reports;

/// <summary>
/// One group of deals closed in the period. Count and Sum are the won deals; Average is Sum / Count; WinRate is won over
/// won + lost; CycleTimeDays is the median of creation-to-win of the won deals; Lost is the number of lost deals.
/// Sum and Average add amounts whatever their currency (kept for older clients); SumByCurrency and AverageByCurrency
/// are per currency (the average of a currency's won deals), the currency of most won deals first.
/// </summary>
public sealed record SalesRow(string Key, string Label, long Count, decimal Sum, decimal? Average, double? WinRate, double? CycleTimeDays, long Lost,
    IReadOnlyList<CurrencyAmount> SumByCurrency, IReadOnlyList<CurrencyAmount> AverageByCurrency);

public sealed record SalesReportResult(DateTimeOffset From, DateTimeOffset To, string GroupBy, IReadOnlyList<SalesRow> Rows);

/// <summary>Sales per manager, per source or per month (of closing, UTC), from the deals closed in the period.</summary>
public sealed class SalesReport(NpgsqlDataSource db)
{
    public static readonly string[] Groupings = ["manager", "source", "month"];

    private sealed class Row
    {
        public string Key { get; init; } = "";
        public string? Label { get; init; }
        public long Won { get; init; }
        public long Lost { get; init; }
        public decimal Sum { get; init; }
        public double? Cycle { get; init; }
    }

    private sealed record CurrencyRow(string Key, string Currency, long Won, decimal Sum);

    // The grouping key is chosen by a parameter among fixed expressions (never SQL text from the caller); the period
    // is read through deals_closed_cover_idx (migration 1135), which covers every column used here.
    private const string Closed = """
        select case @groupBy
                   when 'manager' then coalesce(d.assignee_id::text, '')
                   when 'source' then coalesce(d.source, '')
                   else to_char(d.closed_at at time zone 'UTC', 'YYYY-MM') end as key,
               case @groupBy when 'manager' then u.name when 'source' then d.source else to_char(d.closed_at at time zone 'UTC', 'YYYY-MM') end as label,
               d.outcome, d.amount, d.currency,
               extract(epoch from d.closed_at - d.created_at)::double precision / 86400.0 as cycle_days
        from deals d left join users u on u.id = d.assignee_id
        where d.closed_at >= @from and d.closed_at < @to and d.outcome is not null
        """;

    private const string Sql = $"""
        select g.key, max(g.label) as label,
               count(*) filter (where g.outcome = 'won') as won,
               count(*) filter (where g.outcome = 'lost') as lost,
               coalesce(sum(g.amount) filter (where g.outcome = 'won'), 0) as sum,
               percentile_cont(0.5) within group (order by g.cycle_days) filter (where g.outcome = 'won') as cycle
        from ({Closed}) g
        group by g.key;
        select g.key, g.currency, count(*) as won, sum(g.amount) as sum
        from ({Closed}) g
        where g.outcome = 'won'
        group by g.key, g.currency
        order by g.key, count(*) desc, g.currency;
        """;

    public async Task<SalesReportResult> ReadAsync(ReportPeriod period, string groupBy, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        // One snapshot for the groups and their per-currency sums: a deal closed between the statements was in one and not the other.
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(Sql, new { groupBy, from = period.FromUtc, to = period.ToUtc }, tx, cancellationToken: ct));
        var rows = (await grid.ReadAsync<Row>()).ToList();
        var sums = (await grid.ReadAsync<CurrencyRow>()).ToLookup(r => r.Key);
        var result = rows.Select(r => new SalesRow(r.Key, Label(groupBy, r), r.Won, r.Sum, r.Won == 0 ? null : Math.Round(r.Sum / r.Won, 2),
                r.Won + r.Lost == 0 ? null : (double)r.Won / (r.Won + r.Lost), r.Cycle is { } c ? Math.Round(c, 2) : null, r.Lost,
                sums[r.Key].Select(x => new CurrencyAmount(x.Currency, x.Sum)).ToList(),
                sums[r.Key].Select(x => new CurrencyAmount(x.Currency, Math.Round(x.Sum / x.Won, 2))).ToList()));
        // Months read in order; managers and sources biggest first.
        var ordered = groupBy == "month" ? result.OrderBy(r => r.Key, StringComparer.Ordinal) : result.OrderByDescending(r => r.Sum).ThenBy(r => r.Label, StringComparer.Ordinal);
        return new SalesReportResult(period.From, period.To, groupBy, ordered.ToList());
    }

    private static string Label(string groupBy, Row r) => r.Key == "" ? (groupBy == "manager" ? "Unassigned" : "No source") : r.Label ?? r.Key;
}
