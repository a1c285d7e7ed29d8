using System.Net;
using Dapper;

namespace ContactCenter.Crm.Tests;

[Collection(CrmCollection.Name)]
public sealed class WholeSaleTests(CrmFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetCrmAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_manager_runs_a_sale_from_the_first_message_to_a_won_deal_and_a_repeat_sale_all_live()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("seller", "manager", channel.Id);
        await fixture.RuleAsync(new
        {
            name = "Take new leads", trigger = new { type = "leadCreated" },
            actions = new object[]
            {
                new { type = "assign", userId = manager.Id },
                new { type = "createActivity", activityType = "call", title = "Call {contact.name}", dueIn = "PT1H", assignee = "owner" },
            },
        });
        await fixture.RuleAsync(new
        {
            name = "Repeat sale", trigger = new { type = "dealWon" }, delay = "P3M",
            actions = new object[]
            {
                new { type = "createDeal", pipelineId = 1, stageId = await fixture.StageIdAsync("New"), title = "Again: {deal.title}" },
                new { type = "createActivity", activityType = "call", title = "Time for a refill, {contact.name}?", dueIn = "PT2H", assignee = "owner" },
            },
        });
        var log = new EventLog();
        await using var hub = await fixture.HubAsync(manager.Token, log);
        using var http = fixture.App.Http(manager.Token);

        // 1. The first message opens a lead; automation gives it to the manager with a call to make.
        var inbound = await fixture.IngestAsync(channel, "w-1", "cust-w", "Do you roast decaf?", "Carla");
        var lead = await log.WaitForAsync("leadUpdated", l => l["assignee"] is not null);
        await fixture.IdleAsync();
        var call = (await (await http.GetAsync("/api/activities?assignee=me&state=planned")).OkJsonAsync())["items"]![0]!;
        Assert.Equal("Call Carla", call["title"]!.GetValue<string>());

        // 2. The manager answers, calls, qualifies the lead into a deal.
        await (await http.PostJsonAsync($"/api/conversations/{inbound["conversationId"]!.GetValue<long>()}/messages", new { text = "We do! Calling you now." }))
            .OkJsonAsync(HttpStatusCode.Accepted);
        await (await http.PostJsonAsync($"/api/activities/{call.Id()}/complete", new { result = "Wants 5 kg monthly" })).OkJsonAsync();
        var dealId = (await (await http.PostJsonAsync($"/api/leads/{lead.Id()}/convert", new { title = "Decaf 5 kg", amount = 90 })).OkJsonAsync()).Id("dealId");
        await log.WaitForAsync("countersChanged", c => c["dealsWithoutActivity"]!.GetValue<long>() == 1);

        // 3. Through the pipeline with a planned meeting, to won.
        await (await http.PatchJsonAsync($"/api/deals/{dealId}", new { stageId = await fixture.StageIdAsync("Proposal") })).OkJsonAsync();
        var meeting = await (await http.PostJsonAsync("/api/activities", new
        {
            subject = new { type = "deal", id = dealId }, type = "meeting", title = "Tasting", dueAt = fixture.Time.GetUtcNow().AddDays(1),
        })).OkJsonAsync(HttpStatusCode.Created);
        await log.WaitForAsync("countersChanged", c => c["dealsWithoutActivity"]!.GetValue<long>() == 0);
        await (await http.PostJsonAsync($"/api/activities/{meeting.Id()}/complete", new { })).OkJsonAsync();
        var won = await (await http.PostJsonAsync($"/api/deals/{dealId}/close", new { outcome = "won" })).OkJsonAsync();
        Assert.Equal("won", won["outcome"]!.GetValue<string>());
        await log.WaitForAsync("dealUpdated", d => d.Id() == dealId && d["outcome"]?.GetValue<string>() == "won");

        // 4. Three months later the repeat sale opens itself, with a call that falls due and is pushed.
        log.Clear();
        fixture.Time.Advance(TimeSpan.FromDays(93));
        var repeat = await log.WaitForAsync("dealUpdated", d => d.Id() != dealId);
        Assert.Equal("Again: Decaf 5 kg", repeat["title"]!.GetValue<string>());
        Assert.Equal(manager.Id, repeat["assignee"]!.Id());
        fixture.Time.Advance(TimeSpan.FromHours(2).Add(TimeSpan.FromMinutes(1)));
        var due = await log.WaitForAsync("activityDue");
        Assert.Equal("Time for a refill, Carla?", due["title"]!.GetValue<string>());

        // The won deal's timeline tells the whole story, the lead's part included.
        var types = (await (await http.GetAsync($"/api/deals/{dealId}/timeline?limit=200")).OkJsonAsync())["items"]!.AsArray()
            .Select(e => e!["type"]!.GetValue<string>()).Reverse().ToList();
        Assert.Equal(["created", "message", "automation", "activity", "automation", "message", "activity", "created", "converted",
            "stageChanged", "activity", "activity", "closed", "automation", "automation"], types);
        await using var db = fixture.Db();
        Assert.Equal(2, await db.ExecuteScalarAsync<long>("select count(*) from deals"));
    }
}
