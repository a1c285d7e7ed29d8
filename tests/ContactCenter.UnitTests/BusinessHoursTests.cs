using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Routing;

namespace ContactCenter.UnitTests;

public sealed class BusinessHoursTests
{
    private static BusinessHours Hours(string json) => BusinessHours.Parse(JsonNode.Parse(json)!.AsObject());

    private const string Weekdays = """
        {"timeZone": "Europe/Moscow", "week": {"mon": [["09:00","18:00"]], "tue": [["09:00","18:00"]], "wed": [["09:00","18:00"]],
         "thu": [["09:00","18:00"]], "fri": [["09:00","13:00"], ["14:00","18:00"]]}, "holidays": ["2026-12-31"]}
        """;

    [Fact]
    public void A_wait_across_the_night_counts_only_working_minutes()
    {
        // Tue 17:59 Moscow (14:59 UTC) -> Wed 09:01 Moscow (06:01 UTC): one minute each side.
        var seconds = Hours(Weekdays).SecondsWithin(new DateTimeOffset(2026, 12, 1, 14, 59, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 2, 6, 1, 0, TimeSpan.Zero));

        Assert.Equal(120, seconds);
    }

    [Fact]
    public void Weekends_lunch_breaks_and_holidays_do_not_count()
    {
        var hours = Hours(Weekdays);

        // Fri 12:30 -> Mon 09:30 Moscow: 30 min before lunch, 4 h after, 30 min on Monday.
        Assert.Equal((30 + 240 + 30) * 60, hours.SecondsWithin(new DateTimeOffset(2026, 12, 4, 9, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 7, 6, 30, 0, TimeSpan.Zero)));
        // Thursday 31 December is a holiday.
        Assert.Equal(0, hours.SecondsWithin(new DateTimeOffset(2026, 12, 31, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 31, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void An_inverted_or_empty_interval_is_zero()
    {
        var at = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(0, Hours(Weekdays).SecondsWithin(at, at));
        Assert.Equal(0, Hours(Weekdays).SecondsWithin(at, at.AddHours(-1)));
    }

    [Theory]
    [InlineData("""{"timeZone": "Mars/Olympus", "week": {}}""")]
    [InlineData("""{"timeZone": "UTC", "week": {"funday": [["09:00","18:00"]]}}""")]
    [InlineData("""{"timeZone": "UTC", "week": {"mon": [["18:00","09:00"]]}}""")]
    [InlineData("""{"timeZone": "UTC"}""")]
    public void Bad_schedules_are_refused_with_a_reason(string json)
    {
        var errors = ChannelRules.Validate(new JsonObject { ["businessHours"] = JsonNode.Parse(json) });

        Assert.True(errors.ContainsKey("settings.businessHours"));
    }
}
