using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// When a manager's working hours begin, the conversations that waited for them in the queue are offered without anyone
/// having to reconnect: the minute job `route-waiting-conversations` drains every automatically routed channel (issue #16).
/// </summary>
public sealed class WorkingHoursDrainTests(HoursFixture fixture) : IClassFixture<HoursFixture>, IAsyncLifetime
{
    public Task InitializeAsync()
    {
        fixture.Clock.Set(null);
        return fixture.ResetAsync();
    }

    public Task DisposeAsync()
    {
        fixture.Clock.Set(null);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_conversation_queued_before_the_managers_hours_is_offered_to_them_by_the_minute_job_once_they_begin()
    {
        var secret = "whd-" + Guid.NewGuid().ToString("N");
        var created = await fixture.CreateChannelAsync("api", "Morning queue", new JsonObject { ["secret"] = secret, ["routing"] = new JsonObject { ["mode"] = "evenly" } });
        var channel = new AppFixture.ApiChannel(created.Id(), secret);
        var manager = await fixture.CreateUserAsync("early", "manager", channel.Id);
        using (var self = fixture.App.Http(manager.Token))
        {
            (await self.PutAsJsonAsync($"/api/users/{manager.Id}/working-hours", new
            {
                workingHours = new { timeZone = "UTC", days = new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" }, from = "09:00", to = "18:00" },
            })).EnsureSuccessStatusCode();
        }
        // Thirty seconds before their day starts (ten days ahead: tokens are checked against the real time, presence
        // against this clock, whose 90 s lifetime the step to 09:00:30 stays within).
        var nine = new DateTimeOffset(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10), new TimeOnly(9, 0), TimeSpan.Zero);
        fixture.Clock.Set(nine.AddSeconds(-30));
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var id = (await fixture.IngestAsync(channel, "whd-1", "dawn", "good morning?")).Id("conversationId");
        await using (var db = fixture.Db())
        {
            Assert.Null(await db.ExecuteScalarAsync<long?>("select assignee_id from conversations where id = @id", new { id }));
        }

        fixture.Clock.Set(nine.AddSeconds(30));
        fixture.App.Services.GetRequiredService<IRecurringJobManager>().Trigger("route-waiting-conversations");

        await HttpJson.EventuallyAsync(async () =>
        {
            await using var db = fixture.Db();
            return await db.ExecuteScalarAsync<long?>("select assignee_id from conversations where id = @id", new { id }) == manager.Id;
        }, "the queued conversation offered to the manager whose hours began", TimeSpan.FromSeconds(20));
    }
}
