using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.FunctionalTests;

/// <summary>A manager's own working hours: automatic routing offers them nothing outside them.</summary>
public sealed class WorkingHoursRoutingTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private readonly List<HubConnection> hubs = [];

    public Task InitializeAsync() => fixture.ResetAsync();

    public async Task DisposeAsync()
    {
        foreach (var hub in hubs)
        {
            await hub.DisposeAsync();
        }
    }

    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>
    /// Every day but today and tomorrow (UTC): whoever has it is off duty now by the app's clock, even when the test runs
    /// across midnight (the app reads the real clock, so "today" is the test's only where both sides agree).
    /// </summary>
    private static object OffToday()
    {
        var today = (int)DateTime.UtcNow.DayOfWeek;
        return new
        {
            workingHours = new { timeZone = "UTC", days = Days.Where((_, i) => i != today && i != (today + 1) % 7).ToArray(), from = "00:00", to = "23:59" },
        };
    }

    [Fact]
    public async Task Routing_skips_a_manager_outside_their_hours_and_leaves_the_conversation_queued_when_nobody_is_within_hours()
    {
        var secret = "wh-secret-" + Guid.NewGuid().ToString("N");
        var created = await fixture.CreateChannelAsync("api", "Working hours", new JsonObject { ["secret"] = secret, ["routing"] = new JsonObject { ["mode"] = "evenly" } });
        var channel = new AppFixture.ApiChannel(created["id"]!.GetValue<long>(), secret);
        var offDuty = await fixture.CreateUserAsync("offduty", "manager", channel.Id);
        var onDuty = await fixture.CreateUserAsync("onduty", "manager", channel.Id);
        using (var self = fixture.App.Http(offDuty.Token))
        {
            // The manager sets their own hours (their settings).
            (await self.PutAsJsonAsync($"/api/users/{offDuty.Id}/working-hours", OffToday())).EnsureSuccessStatusCode();
        }
        hubs.Add(await fixture.ConnectHubAsync(offDuty.Token));

        // Only the off-duty manager is online: the conversation waits in the queue.
        var first = (await fixture.IngestAsync(channel, "wh-1", "early-bird", "hello"))["conversationId"]!.GetValue<long>();
        Assert.Null(await fixture.AssigneeSoonAsync(first, null));
        await using (var db = fixture.Db())
        {
            Assert.Null(await db.ExecuteScalarAsync<long?>("select assignee_id from conversations where id = @first", new { first }));
        }

        // The manager within hours comes online: they get it (and the next one), never the one off duty.
        hubs.Add(await fixture.ConnectHubAsync(onDuty.Token));
        Assert.Equal(onDuty.Id, await fixture.AssigneeSoonAsync(first, onDuty.Id));
        var second = (await fixture.IngestAsync(channel, "wh-2", "night-owl", "hi"))["conversationId"]!.GetValue<long>();
        Assert.Equal(onDuty.Id, await fixture.AssigneeSoonAsync(second, onDuty.Id));
    }

    [Fact]
    public async Task An_admin_edits_anyones_hours_a_colleague_gets_403_and_a_bad_schedule_is_a_400_that_changes_nothing()
    {
        var manager = await fixture.CreateUserAsync("sched", "manager");
        var colleague = await fixture.CreateUserAsync("nosy", "manager");
        using var admin = fixture.App.Http(fixture.AdminToken);
        using var other = fixture.App.Http(colleague.Token);
        var url = $"/api/users/{manager.Id}/working-hours";

        (await admin.PutAsJsonAsync(url, OffToday())).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PutAsJsonAsync(url, new { workingHours = (object?)null })).StatusCode);
        foreach (var bad in new object[]
        {
            new { workingHours = new { timeZone = "Mars/Olympus", days = new[] { "mon" }, from = "09:00", to = "18:00" } },
            new { workingHours = new { timeZone = "UTC", days = new[] { "someday" }, from = "09:00", to = "18:00" } },
            new { workingHours = new { timeZone = "UTC", days = new[] { "mon" }, from = "18:00", to = "09:00" } },
            new { workingHours = new { timeZone = "UTC", days = Array.Empty<string>(), from = "09:00", to = "18:00" } },
            new { workingHours = new { timeZone = "UTC", days = new[] { "mon" }, from = "09:00", to = "18:00", lunch = "13:00" } },
            new { workingHours = new { timeZone = "UTC", days = "mon", from = "09:00", to = "18:00" } },
            new { workingHours = new { timeZone = "UTC", days = new[] { "mon", null }, from = "09:00", to = "18:00" } },
            new { workingHours = new { timeZone = "UTC", days = new[] { "mon" }, from = 9, to = "18:00" } },
            new { workingHours = new { timeZone = "UTC", days = new[] { "mon" }, to = "18:00" } },
            // Without workingHours (a misspelt member, an empty body) nothing is removed: only {"workingHours": null} removes.
            new { workingHour = new { timeZone = "UTC", days = new[] { "mon" }, from = "09:00", to = "18:00" } },
            new { },
            new { workingHours = (object?)null, note = "off" },
        })
        {
            var response = await admin.PutAsJsonAsync(url, bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            // In this API's words, by the field at fault (not "The time zone ID ... was not found on the local computer").
            var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.True(problem!["errors"] is JsonObject { Count: > 0 }, problem.ToJsonString());
            Assert.DoesNotContain("local computer", problem.ToJsonString(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/users/987654/working-hours")).StatusCode);
        // A day that runs to midnight closes at 24:00, as business hours do.
        (await admin.PutAsJsonAsync(url, new { workingHours = new { timeZone = "UTC", days = new[] { "mon" }, from = "09:00", to = "24:00" } })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync(url, OffToday())).EnsureSuccessStatusCode();

        var saved = await admin.GetFromJsonAsync<JsonObject>(url);
        Assert.Equal("UTC", saved!["workingHours"]!["timeZone"]!.GetValue<string>());
        Assert.Equal(5, saved["workingHours"]!["days"]!.AsArray().Count); // as OffToday set it: no bad body changed it
    }
}
