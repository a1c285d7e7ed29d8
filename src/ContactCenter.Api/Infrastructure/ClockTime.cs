using System.Globalization;

namespace ContactCenter.Api.Infrastructure;

/// <summary>The one reading of a time of day in a body or a setting: `HH:mm`, 00:00-23:59, and `24:00` where a day's close is meant.</summary>
public static class ClockTime
{
    public static bool TryParse(string? text, out TimeSpan time, bool endOfDay = false)
    {
        if (endOfDay && text == "24:00")
        {
            time = TimeSpan.FromDays(1);
            return true;
        }
        return TimeSpan.TryParseExact(text, @"hh\:mm", CultureInfo.InvariantCulture, out time) && time < TimeSpan.FromDays(1) && text!.Length == 5;
    }

    public static bool IsValid(string? text, bool endOfDay = false) => TryParse(text, out _, endOfDay);
}
