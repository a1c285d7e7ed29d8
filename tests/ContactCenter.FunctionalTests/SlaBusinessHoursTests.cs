using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Routing;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// The SLA monitor judges a wait as the response-time figures do: on a channel with business hours only working time
/// counts toward the target (a customer who wrote at night was a breach, and a notice to every supervisor, at once,
/// while the answer given next morning counted as within target).
/// </summary>
public sealed class SlaBusinessHoursTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<AppFixture.ApiChannel> ChannelAsync(string name, string secret, string holidays)
    {
        var settings = JsonNode.Parse($$$"""
            {"secret": "{{{secret}}}", "sla": {"firstResponseSeconds": 30},
             "businessHours": {"timeZone": "Europe/Moscow", "week": {"mon": [["00:00","24:00"]], "tue": [["00:00","24:00"]], "wed": [["00:00","24:00"]],
                 "thu": [["00:00","24:00"]], "fri": [["00:00","24:00"]], "sat": [["00:00","24:00"]], "sun": [["00:00","24:00"]]},
              "holidays": [{{{holidays}}}]}}
            """)!.AsObject();
        var created = await fixture.CreateChannelAsync("api", name, settings);
        return new AppFixture.ApiChannel(created["id"]!.GetValue<long>(), secret);
    }

    [Fact]
    public async Task A_wait_outside_business_hours_is_no_breach_and_a_wait_in_working_time_is()
    {
        // Today and tomorrow in Moscow are holidays on one desk (whatever hour the test runs at); the other works round the clock.
        var moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(fixture.Clock.GetUtcNow(), moscow).DateTime);
        var closed = await ChannelAsync("Closed desk", "closed-secret-0123456789", $"\"{today:yyyy-MM-dd}\", \"{today.AddDays(1):yyyy-MM-dd}\"");
        var open = await ChannelAsync("Open desk", "open-secret-0123456789ab", "");
        var atNight = (await fixture.IngestAsync(closed, "night-1", "owl", "anyone there?"))["conversationId"]!.GetValue<long>();
        var inHours = (await fixture.IngestAsync(open, "day-1", "lark", "anyone there?"))["conversationId"]!.GetValue<long>();
        fixture.Clock.Advance(TimeSpan.FromSeconds(40));

        // Whole rounds of the app's own loop (the advance wakes it; a scan of ours beside it found the rows it held locked).
        await fixture.WorkerRoundsAsync<SlaMonitor>();

        await using var db = fixture.Db();
        var marks = (await db.QueryAsync<(long Id, bool Breached)>(
            "select id, sla_breached_at is not null from conversations where id = any(@ids)", new { ids = new[] { atNight, inHours } }))
            .ToDictionary(r => r.Id, r => r.Breached);
        Assert.False(marks[atNight]); // 40 s of waiting, none of it working time, against 30 s
        Assert.True(marks[inHours]);
        Assert.Equal(0, await db.ExecuteScalarAsync<long>(
            "select count(*) from notifications where conversation_id = @atNight", new { atNight }));
    }
}
