using System.Text.RegularExpressions;

namespace ContactCenter.Api.Features.Crm.Automation;

/// <summary>
/// ISO-8601 durations as rules write them ("PT10M", "P3M", "P1Y2M3DT4H"). Only validated here: PostgreSQL adds
/// them to timestamps (calendar-aware, so "P3M" after 31 January is 30 April, not 90 days).
/// </summary>
public static partial class IsoDuration
{
    [GeneratedRegex(@"^P(?!$)(\d{1,4}Y)?(\d{1,4}M)?(\d{1,4}W)?(\d{1,5}D)?(T(?=\d)(\d{1,6}H)?(\d{1,7}M)?(\d{1,9}S)?)?$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? value) => value is { Length: > 1 and <= 40 } && Pattern().IsMatch(value);
}
