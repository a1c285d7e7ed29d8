namespace ContactCenter.Api.Features.Stats;

/// <summary>
/// How a period [from, to) (UTC) is read: the whole days [DaysFrom, DaysTo) from rollups, of which the whole months
/// [MonthsFrom, MonthsTo) from month rows (empty when MonthsFrom == MonthsTo, the days then come from day rows), and the
/// partial days at the edges, [Raw1From, Raw1To) and [Raw2From, Raw2To), from raw events. A period without a whole day is
/// read raw in full. A year is at most 12 month rows and about 60 day rows per series.
/// </summary>
public sealed record PeriodPlan(DateOnly DaysFrom, DateOnly DaysTo, DateOnly MonthsFrom, DateOnly MonthsTo,
    DateTime Raw1From, DateTime Raw1To, DateTime Raw2From, DateTime Raw2To)
{
    public static PeriodPlan Of(DateTime from, DateTime to)
    {
        from = DateTime.SpecifyKind(from, DateTimeKind.Utc);
        to = DateTime.SpecifyKind(to, DateTimeKind.Utc);
        var firstDay = DateOnly.FromDateTime(from);
        if (from.TimeOfDay != TimeSpan.Zero)
        {
            firstDay = firstDay < DateOnly.MaxValue ? firstDay.AddDays(1) : firstDay;
        }
        var endDay = DateOnly.FromDateTime(to);
        if (firstDay >= endDay)
        {
            // No whole day inside: everything from raw events, no rollup rows (empty ranges).
            return new PeriodPlan(endDay, endDay, endDay, endDay, from, to, to, to);
        }
        var firstMonth = new DateOnly(firstDay.Year, firstDay.Month, 1);
        if (firstMonth < firstDay)
        {
            firstMonth = firstMonth.AddMonths(1);
        }
        var endMonth = new DateOnly(endDay.Year, endDay.Month, 1);
        if (firstMonth >= endMonth)
        {
            // No whole month: the whole days come from day rows ([DaysFrom, MonthsFrom) and [MonthsTo, DaysTo) cover them).
            firstMonth = endMonth = endDay;
        }
        return new PeriodPlan(firstDay, endDay, firstMonth, endMonth,
            from, firstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), endDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), to);
    }
}
