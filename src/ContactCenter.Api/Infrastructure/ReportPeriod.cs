namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// The half-open period [From, To) a report or a statistic covers: thirty days up to now unless the caller names it; at
/// most ten years, within years 2 to 9998 (a period near year 9999 was a 500 on the statistics routes).
/// </summary>
public sealed record ReportPeriod(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>Null (and the reason in <paramref name="validation"/>) when from is not before to or the dates are out of range.</summary>
    public static ReportPeriod? Parse(DateTimeOffset? from, DateTimeOffset? to, DateTimeOffset now, Validation validation)
    {
        var end = to ?? now;
        // A 'to' in the first days of year 1 has no thirty days before it: the default start stops at the earliest date (then 400).
        var start = from ?? (end > DateTimeOffset.MinValue.AddDays(30) ? end.AddDays(-30) : DateTimeOffset.MinValue);
        if (start >= end || end - start > TimeSpan.FromDays(3700) || start.Year < 2 || end.Year > 9998)
        {
            validation.Add("from", "from must be before to, and the period at most ten years.");
            return null;
        }
        return new ReportPeriod(start, end);
    }

    public DateTime FromUtc => From.UtcDateTime;

    public DateTime ToUtc => To.UtcDateTime;
}
