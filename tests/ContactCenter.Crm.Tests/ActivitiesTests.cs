using System.Net;
using System.Text.Json.Nodes;

namespace ContactCenter.Crm.Tests;

[Collection(CrmCollection.Name)]
public sealed class ActivitiesTests(CrmFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetCrmAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static object Activity(string type, long id, string title, DateTimeOffset dueAt, long? assigneeId = null) =>
        new { subject = new { type, id }, type = "call", title, dueAt, assigneeId };

    [Fact]
    public async Task Activities_are_listed_by_state_counted_and_completed()
    {
        var manager = await fixture.CreateUserAsync("a1", "manager");
        using var http = fixture.App.Http(manager.Token);
        var now = fixture.Time.GetUtcNow();
        var deal = await (await http.PostJsonAsync("/api/deals", new { title = "Fleet" })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal(1, (await (await http.GetAsync("/api/counters")).OkJsonAsync())["dealsWithoutActivity"]!.GetValue<long>());

        var overdue = await (await http.PostJsonAsync("/api/activities", Activity("deal", deal.Id(), "Call back", now.AddMinutes(-5)))).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("overdue", overdue["state"]!.GetValue<string>());
        Assert.Equal(manager.Id, overdue["assignee"]!.Id());
        Assert.Equal("Fleet", overdue["subject"]!["title"]!.GetValue<string>());
        var endOfDay = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        var laterToday = now + (endOfDay - now) / 2;
        var today = await (await http.PostJsonAsync("/api/activities", Activity("deal", deal.Id(), "Send offer", laterToday))).OkJsonAsync(HttpStatusCode.Created);
        var planned = await (await http.PostJsonAsync("/api/activities", Activity("deal", deal.Id(), "Meet", now.AddDays(3)))).OkJsonAsync(HttpStatusCode.Created);

        var counters = await (await http.GetAsync("/api/counters")).OkJsonAsync();
        Assert.Equal(1, counters["overdueActivities"]!.GetValue<long>());
        Assert.Equal(1, counters["activitiesDueToday"]!.GetValue<long>());
        Assert.Equal(0, counters["dealsWithoutActivity"]!.GetValue<long>());
        async Task<List<long>> Ids(string state) =>
            (await (await http.GetAsync($"/api/activities?assignee=me&state={state}")).OkJsonAsync())["items"]!.AsArray().Select(a => a!.Id()).ToList();
        Assert.Equal([overdue.Id()], await Ids("overdue"));
        Assert.Equal([today.Id()], await Ids("today"));
        Assert.Equal([today.Id(), planned.Id()], await Ids("planned"));
        Assert.Empty(await Ids("done"));
        var dealNow = await (await http.GetAsync($"/api/deals/{deal.Id()}")).OkJsonAsync();
        Assert.Equal(overdue.Id(), dealNow["nextActivity"]!.Id());

        Assert.Null(overdue["completedById"]?.GetValue<long>());
        var completed = await (await http.PostJsonAsync($"/api/activities/{overdue.Id()}/complete", new { result = "Reached, wants an offer" })).OkJsonAsync();
        Assert.Equal("done", completed["state"]!.GetValue<string>());
        Assert.Equal(manager.Id, completed["completedById"]!.GetValue<long>());
        // A second completion (an admin's click a moment later) changes nothing and says who completed it: the card asks
        // only the person whose click did it what comes next.
        using var admin = fixture.Admin();
        var again = await (await admin.PostJsonAsync($"/api/activities/{overdue.Id()}/complete", new { result = "late click" })).OkJsonAsync();
        Assert.Equal(manager.Id, again["completedById"]!.GetValue<long>());
        Assert.Equal("Reached, wants an offer", again["result"]!.GetValue<string>());
        Assert.Equal([overdue.Id()], await Ids("done"));
        Assert.Equal(0, (await (await http.GetAsync("/api/counters")).OkJsonAsync())["overdueActivities"]!.GetValue<long>());
        foreach (var id in new[] { today.Id(), planned.Id() })
        {
            await (await http.PostJsonAsync($"/api/activities/{id}/complete", new { })).OkJsonAsync();
        }
        Assert.Equal(1, (await (await http.GetAsync("/api/counters")).OkJsonAsync())["dealsWithoutActivity"]!.GetValue<long>());

        var timeline = (await (await http.GetAsync($"/api/deals/{deal.Id()}/timeline?limit=200")).OkJsonAsync())["items"]!.AsArray();
        Assert.Equal(6, timeline.Count(e => e!["type"]!.GetValue<string>() == "activity"));
        Assert.Contains(timeline, e => e!["data"]!["action"]!.GetValue<string>() is "completed" && e["data"]!["result"]?.GetValue<string>() == "Reached, wants an offer");
    }

    [Fact]
    public async Task An_activity_turning_overdue_is_pushed_without_any_request()
    {
        var manager = await fixture.CreateUserAsync("a2", "manager");
        using var http = fixture.App.Http(manager.Token);
        var lead = await (await http.PostJsonAsync("/api/leads", new { contact = new { name = "Olga", phone = "+4915123456789" } })).OkJsonAsync(HttpStatusCode.Created);
        var due = fixture.Time.GetUtcNow().AddMinutes(30);
        var activity = await (await http.PostJsonAsync("/api/activities", Activity("lead", lead.Id(), "Call Olga", due))).OkJsonAsync(HttpStatusCode.Created);
        var log = new EventLog();
        await using var hub = await fixture.HubAsync(manager.Token, log);
        await fixture.SchedulerRoundsAsync(hub); // nothing is due yet
        Assert.Empty(log.Of("activityDue"));

        fixture.Time.Advance(TimeSpan.FromMinutes(31));

        var pushed = await log.WaitForAsync("activityDue");
        Assert.Equal(activity.Id(), pushed.Id());
        Assert.Equal("overdue", pushed["state"]!.GetValue<string>());
        var counters = await log.WaitForAsync("countersChanged", c => c["overdueActivities"]!.GetValue<long>() == 1);
        Assert.Equal(0, counters["activitiesDueToday"]!.GetValue<long>());
        await fixture.SchedulerRoundsAsync(hub);
        Assert.Single(log.Of("activityDue")); // pushed once, not every round
    }

    [Fact]
    public async Task A_rescheduled_activity_is_due_again_at_its_new_time_and_a_done_one_cannot_change()
    {
        var manager = await fixture.CreateUserAsync("a5", "manager");
        var colleague = await fixture.CreateUserAsync("a6", "manager");
        using var http = fixture.App.Http(manager.Token);
        var deal = await (await http.PostJsonAsync("/api/deals", new { title = "Reschedule" })).OkJsonAsync(HttpStatusCode.Created);
        // Listening before the activity exists: it is due at once, and the scheduler pushes a due activity once.
        var log = new EventLog();
        await using var hub = await fixture.HubAsync(manager.Token, log);
        var activity = await (await http.PostJsonAsync("/api/activities", Activity("deal", deal.Id(), "Call", fixture.Time.GetUtcNow().AddMinutes(-1)))).OkJsonAsync(HttpStatusCode.Created);
        await log.WaitForAsync("activityDue");

        var moved = await (await http.PatchJsonAsync($"/api/activities/{activity.Id()}", new { dueAt = fixture.Time.GetUtcNow().AddHours(2), title = "Call again" })).OkJsonAsync();
        Assert.Contains(moved["state"]!.GetValue<string>(), new[] { "today", "planned" }); // no longer overdue
        Assert.Equal("Call again", moved["title"]!.GetValue<string>());
        await log.WaitForAsync("countersChanged", c => c["overdueActivities"]!.GetValue<long>() == 0);
        log.Clear();
        fixture.Time.Advance(TimeSpan.FromHours(2).Add(TimeSpan.FromSeconds(1)));
        Assert.Equal("Call again", (await log.WaitForAsync("activityDue"))["title"]!.GetValue<string>());

        var handed = await (await http.PatchJsonAsync($"/api/activities/{activity.Id()}", new { assigneeId = colleague.Id })).OkJsonAsync();
        Assert.Equal(colleague.Id, handed["assignee"]!.Id());
        await (await fixture.App.Http(colleague.Token).PostJsonAsync($"/api/activities/{activity.Id()}/complete", new { })).OkJsonAsync();
        await (await http.PatchJsonAsync($"/api/activities/{activity.Id()}", new { title = "Too late" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("done", (await (await http.GetAsync($"/api/activities/{activity.Id()}")).OkJsonAsync())["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task At_midnight_tomorrows_activities_become_due_today_and_the_counter_is_pushed()
    {
        var manager = await fixture.CreateUserAsync("a3", "manager");
        using var http = fixture.App.Http(manager.Token);
        var deal = await (await http.PostJsonAsync("/api/deals", new { title = "Tomorrow" })).OkJsonAsync(HttpStatusCode.Created);
        var now = fixture.Time.GetUtcNow();
        var midnight = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        await (await http.PostJsonAsync("/api/activities", Activity("deal", deal.Id(), "Demo", midnight.AddHours(10)))).OkJsonAsync(HttpStatusCode.Created);
        var log = new EventLog();
        await using var hub = await fixture.HubAsync(manager.Token, log);
        await fixture.SchedulerRoundsAsync(hub); // the scheduler has seen the activity as tomorrow's

        fixture.Time.SetUtcNow(midnight.AddSeconds(1));

        var counters = await log.WaitForAsync("countersChanged", c => c["activitiesDueToday"]!.GetValue<long>() == 1);
        Assert.Equal(0, counters["overdueActivities"]!.GetValue<long>());
    }

    [Fact]
    public async Task Bad_activities_are_refused()
    {
        var manager = await fixture.CreateUserAsync("a4", "manager");
        using var http = fixture.App.Http(manager.Token);
        using var admin = fixture.Admin();
        var others = await (await admin.PostJsonAsync("/api/deals", new { title = "Not yours" })).OkJsonAsync(HttpStatusCode.Created);
        var due = fixture.Time.GetUtcNow().AddHours(1);
        await (await http.PostJsonAsync("/api/activities", Activity("deal", others.Id(), "Sneak", due))).ProblemAsync(HttpStatusCode.NotFound);
        await (await http.PostJsonAsync("/api/activities", Activity("deal", 999, "Nothing", due))).ProblemAsync(HttpStatusCode.NotFound);
        await (await http.PostJsonAsync("/api/activities", new { subject = new { type = "ticket", id = 1 }, type = "call", title = "x", dueAt = due })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http.PostJsonAsync("/api/activities", new { subject = new { type = "deal", id = others.Id() }, type = "fax", title = "x", dueAt = due })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http.PostJsonAsync("/api/activities", new { subject = new { type = "deal", id = others.Id() }, type = "call", title = "x" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http.GetAsync("/api/activities?state=someday")).ProblemAsync(HttpStatusCode.BadRequest);
        var adminActivity = await (await admin.PostJsonAsync("/api/activities", Activity("deal", others.Id(), "Admin's", due))).OkJsonAsync(HttpStatusCode.Created);
        await (await http.PostJsonAsync($"/api/activities/{adminActivity.Id()}/complete", new { })).ProblemAsync(HttpStatusCode.NotFound);
    }
}
