using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Reports;

/// <param name="Currency">The plan's currency; null keeps the plan's own (a new plan: the installation's).</param>
public sealed record SalesPlanRequest(decimal? Amount, string? Currency = null);

public sealed record SalesPlanDto(long UserId, string Month, decimal Amount)
{
    public string Currency { get; init; } = "USD";
}

/// <summary>
/// A manager's month: the plan (null when none is set), what they won (deals won in the month, by closing date, UTC),
/// progress = won / plan, and a linear forecast: won spread over the days elapsed (today included) times the days in the
/// month; a past month's forecast is what was won, a future month's is 0. A row is in its plan's currency (the one the
/// plan was set in), or the installation's when there is no plan (<see cref="PlanReport.Currency"/>): Won, WonCount,
/// progress and forecast count the deals won in it; deals won in other currencies are listed in WonOther (per currency,
/// most deals first) and count toward nothing, as there are no exchange rates to convert them.
/// </summary>
public sealed record PlanRow(long UserId, string Name, decimal? Plan, decimal Won, long WonCount, double? Progress, decimal Forecast)
{
    public string Currency { get; init; } = "USD";

    public IReadOnlyList<Crm.CurrencyAmount> WonOther { get; init; } = [];
}

public sealed record PlanReport(string Month, int DaysElapsed, int DaysInMonth, IReadOnlyList<PlanRow> Rows)
{
    /// <summary>The installation's currency (the CRM settings'): a new plan's, and the rows' without a plan.</summary>
    public string Currency { get; init; } = "USD";
}

/// <summary>Monthly sales plans per manager and their progress.</summary>
public sealed class SalesPlans(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>The first day of a `yyyy-mm` month, or null when the text is not one.</summary>
    public static DateOnly? ParseMonth(string? text) =>
        text is { Length: 7 } && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            && day.Year is >= 2000 and <= 9998 ? day : null;

    // A date parameter as a plain timestamp (no time zone to shift it), cast to date in SQL.
    private static DateTime Day(DateOnly month) => month.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);

    public static string MonthText(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>Sets the plan (in <paramref name="currency"/>, or the plan's own, or the installation's); null when there is no such user.</summary>
    public async Task<SalesPlanDto?> SetAsync(long userId, DateOnly month, decimal amount, string? currency, long actorId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var stored = await connection.ExecuteScalarAsync<string?>(new CommandDefinition($"""
            insert into sales_plans as p (user_id, month, amount, currency, updated_by)
            select u.id, @month::date, @amount, coalesce(@currency, {Crm.CrmSettingsService.CurrencySql}), @actorId from users u where u.id = @userId
            on conflict (user_id, month) do update set amount = excluded.amount, currency = coalesce(@currency, p.currency),
                updated_by = excluded.updated_by, updated_at = now()
            returning currency
            """, new { userId, month = Day(month), amount, currency, actorId }, cancellationToken: ct));
        return stored is null ? null : new SalesPlanDto(userId, MonthText(month), amount) { Currency = stored };
    }

    /// <summary>Removes the plan of that month (none is fine); false when there is no such user.</summary>
    public async Task<bool> RemoveAsync(long userId, DateOnly month, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
            with gone as (delete from sales_plans where user_id = @userId and month = @month::date)
            select exists (select 1 from users where id = @userId)
            """, new { userId, month = Day(month) }, cancellationToken: ct));
    }

    private sealed class Row
    {
        public long UserId { get; init; }
        public string Name { get; init; } = "";
        public decimal? Plan { get; init; }
        public decimal Won { get; init; }
        public long WonCount { get; init; }
        public string? WonOther { get; init; }
        public string Currency { get; init; } = "USD";
        public string Installation { get; init; } = "USD";
    }

    private sealed record OtherSum(string Currency, decimal Amount);

    /// <summary>Every active manager plus anyone with a plan or a win in the month; only <paramref name="onlyUserId"/> when given.</summary>
    public async Task<PlanReport> ReadAsync(DateOnly month, long? onlyUserId, CancellationToken ct)
    {
        var start = month.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = start.AddMonths(1);
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition($"""
            with cur as (select {Crm.CrmSettingsService.CurrencySql} as currency),
            by_currency as (
                select d.assignee_id as user_id, d.currency, count(*) as won_count, sum(d.amount) as won
                from deals d
                where d.closed_at >= @start and d.closed_at < @end and d.outcome = 'won' and d.assignee_id is not null
                group by d.assignee_id, d.currency
            ), people as (
                select u.id as user_id, u.name, p.amount as plan, coalesce(p.currency, (select currency from cur)) as currency
                from users u
                left join sales_plans p on p.user_id = u.id and p.month = @month::date
                where (@onlyUserId::bigint is null or u.id = @onlyUserId)
                  and ((u.role = 'manager' and u.is_active) or p.user_id is not null or exists (select 1 from by_currency b where b.user_id = u.id))
            )
            select r.user_id, r.name, r.plan, r.currency,
                   coalesce((select sum(b.won) from by_currency b where b.user_id = r.user_id and b.currency = r.currency), 0) as won,
                   coalesce((select sum(b.won_count) from by_currency b where b.user_id = r.user_id and b.currency = r.currency), 0)::bigint as won_count,
                   (select jsonb_agg(jsonb_build_object('currency', b.currency, 'amount', b.won) order by b.won_count desc, b.currency)::text
                    from by_currency b where b.user_id = r.user_id and b.currency <> r.currency) as won_other,
                   (select currency from cur) as installation
            from people r
            order by r.name, r.user_id
            """, new { start, end, month = Day(month), onlyUserId }, cancellationToken: ct))).ToList();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var days = DateTime.DaysInMonth(month.Year, month.Month);
        var elapsed = today < month ? 0 : today >= month.AddMonths(1) ? days : today.Day;
        var currency = rows.Count > 0 ? rows[0].Installation
            : await connection.ExecuteScalarAsync<string>(new CommandDefinition($"select {Crm.CrmSettingsService.CurrencySql}", cancellationToken: ct));
        return new PlanReport(MonthText(month), elapsed, days, rows.Select(r => new PlanRow(r.UserId, r.Name, r.Plan, r.Won, r.WonCount,
            r.Plan is > 0 ? (double)(r.Won / r.Plan.Value) : null,
            elapsed == 0 ? 0 : Math.Round(r.Won * days / elapsed, 2))
        {
            Currency = r.Currency,
            WonOther = r.WonOther is null ? [] : JsonSerializer.Deserialize<List<OtherSum>>(r.WonOther, JsonSerializerOptions.Web)!
                .Select(o => new Crm.CurrencyAmount(o.Currency, o.Amount)).ToList(),
        }).ToList()) { Currency = currency! };
    }
}
