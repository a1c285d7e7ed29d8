using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Reports;

/// <summary>
/// A manager's period: first response median and p90 in seconds (the response-time events the inbox already records),
/// activities completed in the period (by whoever completed them, else the assignee), activities assigned to them that
/// fell due in the period and are still not done, and the deals they won in the period. DealsWonSum adds amounts whatever
/// their currency (kept for older clients); DealsWonByCurrency is per currency, the currency of most won deals first.
/// </summary>
public sealed record EfficiencyRow(long UserId, string Name, long FirstResponses, double? FirstResponseMedianSeconds, double? FirstResponseP90Seconds,
    long ActivitiesDone, long ActivitiesOverdue, long DealsWon, decimal DealsWonSum)
{
    public IReadOnlyList<CurrencyAmount> DealsWonByCurrency { get; init; } = [];
}

public sealed record EfficiencyReportResult(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<EfficiencyRow> Rows);

public sealed class EfficiencyReport(NpgsqlDataSource db, TimeProvider clock)
{
    private const string Sql = """
        with first_response as (
            select e.user_id, count(*) as n,
                   percentile_cont(0.5) within group (order by e.seconds) as median,
                   percentile_cont(0.9) within group (order by e.seconds) as p90
            from response_events e
            where e.at >= @from and e.at < @to and e.kind = 'first_response' and e.user_id is not null
            group by e.user_id
        ), done as (
            select coalesce(a.completed_by, a.assignee_id) as user_id, count(*) as n
            from activities a where a.completed_at >= @from and a.completed_at < @to
            group by 1
        ), overdue as (
            select a.assignee_id as user_id, count(*) as n
            from activities a where a.completed_at is null and a.due_at >= @from and a.due_at < least(@to, @now)
            group by 1
        ), won as (
            select d.assignee_id as user_id, count(*) as n, sum(d.amount) as amount
            from deals d where d.closed_at >= @from and d.closed_at < @to and d.outcome = 'won'
            group by 1
        )
        select u.id as user_id, u.name, coalesce(f.n, 0) as first_responses, f.median as first_response_median_seconds,
               f.p90 as first_response_p90_seconds, coalesce(dn.n, 0) as activities_done, coalesce(o.n, 0) as activities_overdue,
               coalesce(w.n, 0) as deals_won, coalesce(w.amount, 0) as deals_won_sum
        from users u
        left join first_response f on f.user_id = u.id
        left join done dn on dn.user_id = u.id
        left join overdue o on o.user_id = u.id
        left join won w on w.user_id = u.id
        where (u.role = 'manager' and u.is_active) or f.user_id is not null or dn.user_id is not null or o.user_id is not null or w.user_id is not null
        order by u.name, u.id;
        select d.assignee_id as user_id, d.currency, sum(d.amount) as amount
        from deals d where d.closed_at >= @from and d.closed_at < @to and d.outcome = 'won' and d.assignee_id is not null
        group by d.assignee_id, d.currency
        order by d.assignee_id, count(*) desc, d.currency;
        """;

    public async Task<EfficiencyReportResult> ReadAsync(ReportPeriod period, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        // One snapshot for the rows and their per-currency sums: a deal won between the statements was in one and not the other.
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(Sql,
            new { from = period.FromUtc, to = period.ToUtc, now = clock.GetUtcNow().UtcDateTime }, tx, cancellationToken: ct));
        var rows = (await grid.ReadAsync<EfficiencyRow>()).ToList();
        var won = (await grid.ReadAsync<(long UserId, string Currency, decimal Amount)>()).ToLookup(w => w.UserId);
        return new EfficiencyReportResult(period.From, period.To,
            rows.Select(r => r with { DealsWonByCurrency = won[r.UserId].Select(w => new CurrencyAmount(w.Currency, w.Amount)).ToList() }).ToList());
    }
}
