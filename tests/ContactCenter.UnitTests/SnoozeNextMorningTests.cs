using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Routing;

namespace ContactCenter.UnitTests;

/// <summary>A snooze's "next morning" is the next working day's opening of the channel's business hours (issue #16).</summary>
public sealed class SnoozeNextMorningTests
{
    private static readonly BusinessHours Hours = BusinessHours.Parse(JsonNode.Parse("""
        {"timeZone": "Europe/Moscow", "week": {"mon": [["09:00","18:00"]], "tue": [["09:00","18:00"]], "wed": [["09:00","18:00"]],
         "thu": [["09:00","18:00"]], "fri": [["09:00","13:00"], ["14:00","18:00"]]}, "holidays": ["2026-12-31"]}
        """)!.AsObject());

    [Fact]
    public void Before_opening_it_is_the_same_mornings_opening()
    {
        // Tue 08:00 Moscow -> Tue 09:00 Moscow (06:00 UTC).
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero), Hours.NextOpening(new DateTimeOffset(2026, 12, 1, 5, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void During_working_hours_it_is_the_next_working_days_opening_not_the_end_of_lunch_and_not_the_weekend()
    {
        // Fri 12:30 Moscow -> Mon 09:00 Moscow.
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero), Hours.NextOpening(new DateTimeOffset(2026, 12, 4, 9, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_holiday_is_skipped()
    {
        // Wed 30 Dec 20:00 Moscow -> Thu 31 is a holiday -> Fri 1 Jan 09:00 Moscow.
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 6, 0, 0, TimeSpan.Zero), Hours.NextOpening(new DateTimeOffset(2026, 12, 30, 17, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_schedule_that_never_opens_has_no_next_morning()
    {
        var never = BusinessHours.Parse(JsonNode.Parse("""{"timeZone": "UTC", "week": {}}""")!.AsObject());

        Assert.Null(never.NextOpening(new DateTimeOffset(2026, 12, 1, 5, 0, 0, TimeSpan.Zero)));
    }
}
