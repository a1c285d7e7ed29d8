using System.Net;

namespace ContactCenter.Crm.Tests;

/// <summary>`activity_due` (the reminder before the due time) and `activity_overdue` (at it): each once, to the owner only.</summary>
[Collection(CrmCollection.Name)]
public sealed class ActivityNotificationsTests(CrmFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetCrmAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_activity_reminds_its_owner_before_it_is_due_and_tells_them_once_when_it_is_overdue()
    {
        var manager = await fixture.CreateUserAsync("an1", "manager");
        var colleague = await fixture.CreateUserAsync("an2", "manager");
        using var http = fixture.App.Http(manager.Token);
        var deal = await (await http.PostJsonAsync("/api/deals", new { title = "Fleet" })).OkJsonAsync(HttpStatusCode.Created);
        var activity = await (await http.PostJsonAsync("/api/activities", new
        {
            subject = new { type = "deal", id = deal.Id() }, type = "call", title = "Call the fleet manager", dueAt = fixture.Time.GetUtcNow().AddMinutes(40),
        })).OkJsonAsync(HttpStatusCode.Created);
        var log = new EventLog();
        await using var hub = await fixture.HubAsync(manager.Token, log);
        var otherLog = new EventLog();
        await using var otherHub = await fixture.HubAsync(colleague.Token, otherLog);

        fixture.Time.Advance(TimeSpan.FromMinutes(30)); // within the 15-minute reminder window

        var due = await log.WaitForAsync("notification", n => n["kind"]!.GetValue<string>() == "activity_due");
        Assert.Equal(activity.Id(), due["activityId"]!.GetValue<long>());
        Assert.Equal(deal.Id(), due["dealId"]!.GetValue<long>());
        Assert.Contains("Call the fleet manager", due["text"]!.GetValue<string>());
        // The title and due time as data: the web app words the notice in its user's language and time zone.
        Assert.Equal("Call the fleet manager", due["data"]!["title"]!.GetValue<string>());
        Assert.Equal(activity["dueAt"]!.GetValue<DateTimeOffset>(), due["data"]!["dueAt"]!.GetValue<DateTimeOffset>());

        fixture.Time.Advance(TimeSpan.FromMinutes(11));

        var overdue = await log.WaitForAsync("notification", n => n["kind"]!.GetValue<string>() == "activity_overdue");
        Assert.Equal(activity.Id(), overdue["activityId"]!.GetValue<long>());
        Assert.Equal("Call the fleet manager", overdue["data"]!["title"]!.GetValue<string>());
        await log.WaitForAsync("activityDue");
        fixture.Time.Advance(TimeSpan.FromMinutes(5));
        await fixture.SchedulerRoundsAsync(hub, otherHub); // whole scheduler rounds after the due time
        Assert.Equal(2, log.Of("notification").Count);
        var listed = await (await http.GetAsync("/api/notifications")).OkJsonAsync();
        Assert.Equal(["activity_overdue", "activity_due"], listed["items"]!.AsArray().Select(n => n!["kind"]!.GetValue<string>()).ToList());
        Assert.Empty(otherLog.Of("notification"));
    }
}
