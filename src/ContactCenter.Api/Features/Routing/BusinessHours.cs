using System.Globalization;
using System.Text.Json.Nodes;
using ContactCenter.Api.Infrastructure;

namespace ContactCenter.Api.Features.Routing;

/// <summary>
/// A weekly schedule in a time zone, with holidays: `{timeZone, week: {mon: [["09:00","18:00"]], ...}, holidays: ["2026-12-31"]}`.
/// Counts how many seconds of an interval fall within working time (what "response time within business hours" means).
/// </summary>
public sealed class BusinessHours
{
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>mon..sun, in any case.</summary>
    public static bool IsDay(string? name) => name is not null && Array.IndexOf(Days, name.ToLowerInvariant()) >= 0;

    private readonly TimeZoneInfo zone;
    private readonly Dictionary<DayOfWeek, List<(TimeSpan From, TimeSpan To)>> week;
    private readonly HashSet<DateOnly> holidays;

    private BusinessHours(TimeZoneInfo zone, Dictionary<DayOfWeek, List<(TimeSpan, TimeSpan)>> week, HashSet<DateOnly> holidays)
    {
        this.zone = zone;
        this.week = week;
        this.holidays = holidays;
    }

    public static BusinessHours Parse(JsonObject json)
    {
        var zoneId = json["timeZone"]?.GetValue<string>() ?? "UTC";
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var week = new Dictionary<DayOfWeek, List<(TimeSpan, TimeSpan)>>();
        var weekJson = json["week"] as JsonObject ?? throw new FormatException("businessHours.week is required, e.g. {\"mon\": [[\"09:00\",\"18:00\"]]}.");
        foreach (var (day, ranges) in weekJson)
        {
            var index = Array.IndexOf(Days, day.ToLowerInvariant());
            if (index < 0)
            {
                throw new FormatException($"Unknown day '{day}' in businessHours.week (use mon..sun).");
            }
            var list = new List<(TimeSpan, TimeSpan)>();
            foreach (var range in ranges as JsonArray ?? [])
            {
                if (range is not JsonArray { Count: 2 } pair
                    || !ClockTime.TryParse(pair[0]?.GetValue<string>(), out var from)
                    || !ClockTime.TryParse(pair[1]?.GetValue<string>(), out var to, endOfDay: true)
                    || to <= from)
                {
                    throw new FormatException($"businessHours.week.{day} must be a list of [\"HH:mm\", \"HH:mm\"] ranges.");
                }
                list.Add((from, to));
            }
            week[(DayOfWeek)index] = list;
        }
        var holidays = new HashSet<DateOnly>();
        foreach (var h in json["holidays"] as JsonArray ?? [])
        {
            holidays.Add(DateOnly.ParseExact(h!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        return new BusinessHours(zone, week, holidays);
    }

    /// <summary>Seconds of [start, end) inside working time. Long intervals are capped at 400 days of walking.</summary>
    public double SecondsWithin(DateTimeOffset start, DateTimeOffset end)
    {
        if (end <= start)
        {
            return 0;
        }
        var total = 0.0;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, zone).Date);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(end, zone).Date);
        for (var i = 0; day <= last && i < 400; day = day.AddDays(1), i++)
        {
            if (holidays.Contains(day) || !week.TryGetValue(day.DayOfWeek, out var ranges))
            {
                continue;
            }
            foreach (var (from, to) in ranges)
            {
                var open = ToUtc(day, from);
                var close = ToUtc(day, to);
                var s = open > start ? open : start;
                var e = close < end ? close : end;
                if (e > s)
                {
                    total += (e - s).TotalSeconds;
                }
            }
        }
        return total;
    }

    /// <summary>Whether <paramref name="at"/> falls within working time (not on a holiday).</summary>
    public bool IsOpen(DateTimeOffset at) => ClosedSince(at) is null;

    /// <summary>
    /// Null while open; otherwise when the closed period that contains <paramref name="at"/> began (the end of the last
    /// working range before it). It is the same instant for every moment of one closed period, so it keys "once per
    /// closed period". A schedule with no working time at all in the last 400 days is closed since the Unix epoch.
    /// </summary>
    public DateTimeOffset? ClosedSince(DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).Date);
        DateTimeOffset? lastClose = null;
        for (var i = 0; i < 400 && lastClose is null; day = day.AddDays(-1), i++)
        {
            if (holidays.Contains(day) || !week.TryGetValue(day.DayOfWeek, out var ranges))
            {
                continue;
            }
            foreach (var (from, to) in ranges)
            {
                var open = ToUtc(day, from);
                var close = ToUtc(day, to);
                if (at >= open && at < close)
                {
                    return null;
                }
                if (close <= at && (lastClose is null || close > lastClose))
                {
                    lastClose = close;
                }
            }
        }
        return lastClose ?? DateTimeOffset.UnixEpoch;
    }

    /// <summary>
    /// A person's simple schedule, `{timeZone, days: ["mon", ...], from: "09:00", to: "18:00"}`, as business hours.
    /// Throws FormatException (or a time zone exception) when it is not valid.
    /// </summary>
    public static BusinessHours FromSchedule(JsonObject json)
    {
        if (json["days"] is not JsonArray days || days.Count == 0)
        {
            throw new FormatException("days must list at least one of mon..sun.");
        }
        var week = new JsonObject();
        foreach (var day in days)
        {
            var name = day?.GetValueKind() == System.Text.Json.JsonValueKind.String ? day.GetValue<string>().ToLowerInvariant() : "";
            if (Array.IndexOf(Days, name) < 0)
            {
                throw new FormatException($"Unknown day '{name}' in days (use mon..sun).");
            }
            week[name] = new JsonArray(new JsonArray(Text(json["from"], "from"), Text(json["to"], "to")));
        }
        return Parse(new JsonObject { ["timeZone"] = Text(json["timeZone"] ?? "UTC", "timeZone"), ["week"] = week });
    }

    private static string Text(JsonNode? node, string name) =>
        node?.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : throw new FormatException($"{name} is required (text).");

    /// <summary>The time zone the schedule is written in.</summary>
    public TimeZoneInfo Zone => zone;

    /// <summary>
    /// The first opening of a working day strictly after <paramref name="after"/> (a snooze's "next morning": during
    /// working time that is the next working day's opening). Null when the schedule never opens within 400 days.
    /// </summary>
    public DateTimeOffset? NextOpening(DateTimeOffset after)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(after, zone).Date);
        for (var i = 0; i < 400; day = day.AddDays(1), i++)
        {
            if (holidays.Contains(day) || !week.TryGetValue(day.DayOfWeek, out var ranges) || ranges.Count == 0)
            {
                continue;
            }
            // The day's opening only: the end of a lunch break is not a morning.
            var open = ToUtc(day, ranges.Min(r => r.From));
            if (open > after)
            {
                return open;
            }
        }
        return null;
    }

    private DateTimeOffset ToUtc(DateOnly day, TimeSpan time)
    {
        var local = day.ToDateTime(TimeOnly.MinValue).Add(time);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone), TimeSpan.Zero);
    }
}
