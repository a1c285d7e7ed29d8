using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Crm.Tests;

[Collection(CrmCollection.Name)]
public sealed class AutomationRunTests(CrmFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetCrmAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task LeadCreated_runs_createActivity_and_assign_with_placeholders_and_records_each_action()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("owner1", "manager", channel.Id);
        await fixture.RuleAsync(new
        {
            name = "Qualify fast", trigger = new { type = "leadCreated" },
            actions = new object[]
            {
                new { type = "assign", userId = manager.Id },
                new { type = "createActivity", activityType = "call", title = "Call {contact.name}", dueIn = "PT15M", assignee = "owner" },
            },
        });
        var start = fixture.Time.GetUtcNow();

        await fixture.IngestAsync(channel, "l-1", "cust-l", "Hello", "Anna");
        await fixture.IdleAsync();

        using var http = fixture.App.Http(manager.Token);
        var lead = (await (await http.GetAsync("/api/leads")).OkJsonAsync())["items"]![0]!;
        Assert.Equal(manager.Id, lead["assignee"]!.Id());
        Assert.Equal("in_work", lead["status"]!.GetValue<string>());
        var activity = (await (await http.GetAsync("/api/activities?assignee=me")).OkJsonAsync())["items"]![0]!;
        Assert.Equal("Call Anna", activity["title"]!.GetValue<string>());
        Assert.True((activity["dueAt"]!.GetValue<DateTimeOffset>() - start.AddMinutes(15)).Duration() < TimeSpan.FromMilliseconds(1));
        var runs = await fixture.AutomationEntriesAsync("lead", lead.Id());
        Assert.Equal(["assign", "createActivity"], runs.Select(r => r["data"]!["action"]!.GetValue<string>()));
        Assert.All(runs, r => Assert.Equal("done", r["data"]!["status"]!.GetValue<string>()));
        Assert.Equal("Qualify fast", runs[0]["actor"]!["name"]!.GetValue<string>());
        Assert.Equal("automation", runs[0]["actor"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task DealCreated_sends_a_message_to_the_customer_on_the_deals_conversation()
    {
        using var admin = fixture.Admin();
        await (await admin.PutAsJsonAsync("/api/settings/crm", new { mode = "simple" })).OkJsonAsync();
        var channel = await fixture.CreateApiChannelAsync();
        await fixture.RuleAsync(new { name = "Greet", trigger = new { type = "dealCreated", pipelineId = 1 }, actions = new object[] { new { type = "sendMessage", text = "Hello {contact.name}, a manager will answer shortly." } } });

        var ingest = await fixture.IngestAsync(channel, "g-1", "cust-g", "Hi", "Greta");
        await fixture.IdleAsync();

        var conversationId = ingest["conversationId"]!.GetValue<long>();
        var messages = (await (await admin.GetAsync($"/api/conversations/{conversationId}/messages")).OkJsonAsync())["items"]!.AsArray();
        var sent = messages[0]!;
        Assert.Equal("outbound", sent["direction"]!.GetValue<string>());
        Assert.Equal("Hello Greta, a manager will answer shortly.", sent["text"]!.GetValue<string>());
        Assert.Equal("system", sent["sender"]!["type"]!.GetValue<string>());
        Assert.Equal(1, await fixture.ScalarAsync("select count(*) from outbox where kind = 'send'"));
        var dealId = await fixture.ScalarAsync("select id from deals");
        var timeline = (await (await admin.GetAsync($"/api/deals/{dealId}/timeline")).OkJsonAsync())["items"]!.AsArray();
        Assert.Contains(timeline, e => e!["type"]!.GetValue<string>() == "message" && e["actor"]!["type"]!.GetValue<string>() == "automation");
    }

    [Fact]
    public async Task StageEntered_notifies_the_owner_live_and_conditions_filter_runs()
    {
        var manager = await fixture.CreateUserAsync("owner2", "manager");
        var proposal = await fixture.StageIdAsync("Proposal");
        await fixture.RuleAsync(new
        {
            name = "Big proposal", trigger = new { type = "stageEntered", stageId = proposal },
            conditions = new object[] { new { field = "amount", op = "gte", value = 1000 } },
            actions = new object[] { new { type = "notify", to = "owner", text = "Prepare the proposal for {deal.title} ({deal.amount} {deal.currency})" } },
        });
        var log = new EventLog();
        await using var hub = await fixture.HubAsync(manager.Token, log);
        using var http = fixture.App.Http(manager.Token);
        var small = await (await http.PostJsonAsync("/api/deals", new { title = "Small", amount = 10 })).OkJsonAsync(HttpStatusCode.Created);
        var big = await (await http.PostJsonAsync("/api/deals", new { title = "Big", amount = 2500 })).OkJsonAsync(HttpStatusCode.Created);

        await (await http.PatchJsonAsync($"/api/deals/{small.Id()}", new { stageId = proposal })).OkJsonAsync();
        await (await http.PatchJsonAsync($"/api/deals/{big.Id()}", new { stageId = proposal })).OkJsonAsync();
        await fixture.IdleAsync();

        var note = await log.WaitForAsync("notification");
        Assert.Equal("Prepare the proposal for Big (2500 USD)", note["text"]!.GetValue<string>());
        Assert.Equal(big.Id(), note["dealId"]!.GetValue<long>());
        Assert.Equal("automation", note["kind"]!.GetValue<string>());
        Assert.Single(log.Of("notification"));
        Assert.Empty(await fixture.AutomationEntriesAsync("deal", small.Id()));
        Assert.Equal(1, await fixture.ScalarAsync("select count(*) from automation_jobs where state = 'skipped'"));
    }

    [Fact]
    public async Task DealWon_and_dealLost_trigger_their_rules_only()
    {
        await fixture.RuleAsync(new { name = "Thanks", trigger = new { type = "dealWon", pipelineId = 1 }, actions = new object[] { new { type = "createActivity", activityType = "email", title = "Thank {contact.name}" } } });
        await fixture.RuleAsync(new { name = "Why", trigger = new { type = "dealLost" }, actions = new object[] { new { type = "createActivity", activityType = "call", title = "Ask why we lost {deal.title}" } } });
        using var admin = fixture.Admin();
        var won = await (await admin.PostJsonAsync("/api/deals", new { title = "W" })).OkJsonAsync(HttpStatusCode.Created);
        var lost = await (await admin.PostJsonAsync("/api/deals", new { title = "L" })).OkJsonAsync(HttpStatusCode.Created);

        await (await admin.PostJsonAsync($"/api/deals/{won.Id()}/close", new { outcome = "won" })).OkJsonAsync();
        await (await admin.PostJsonAsync($"/api/deals/{lost.Id()}/close", new { outcome = "lost", lossReasonId = 2 })).OkJsonAsync();
        await fixture.IdleAsync();

        await using var db = fixture.Db();
        // The two rules run as separate jobs, in either order: compare by deal.
        var titles = (await db.QueryAsync<(long, string)>("select subject_id, title from activities order by subject_id")).ToList();
        Assert.Equal([(won.Id(), "Thank "), (lost.Id(), "Ask why we lost L")], titles);
    }

    [Fact]
    public async Task InboundMessage_rules_match_the_channel_kind_and_move_the_deal()
    {
        using var admin = fixture.Admin();
        await (await admin.PutAsJsonAsync("/api/settings/crm", new { mode = "simple" })).OkJsonAsync();
        var channel = await fixture.CreateApiChannelAsync();
        var qualification = await fixture.StageIdAsync("Qualification");
        await fixture.RuleAsync(new { name = "Engaged", trigger = new { type = "inboundMessage", channelKind = "api" }, actions = new object[] { new { type = "moveStage", stageId = qualification } } });
        await fixture.RuleAsync(new { name = "Telegram only", trigger = new { type = "inboundMessage", channelKind = "telegram" }, actions = new object[] { new { type = "notify", to = "owner", text = "tg" } } });

        await fixture.IngestAsync(channel, "i-1", "cust-i", "Hi");
        await fixture.IdleAsync();

        var deal = (await (await admin.GetAsync("/api/deals")).OkJsonAsync())["items"]![0]!;
        Assert.Equal(qualification, deal["stageId"]!.GetValue<long>());
        Assert.Equal(1, await fixture.ScalarAsync("select count(*) from automation_jobs"));
        var runs = await fixture.AutomationEntriesAsync("deal", deal.Id());
        Assert.Equal("moveStage", Assert.Single(runs)["data"]!["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task NoReply_fires_only_when_nobody_answered_in_time()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("owner3", "manager", channel.Id);
        await fixture.RuleAsync(new { name = "Waiting", trigger = new { type = "noReply", minutes = 10 }, actions = new object[] { new { type = "notify", to = manager.Id, text = "{lead.title} waits for an answer" } } });
        var log = new EventLog();
        await using var hub = await fixture.HubAsync(manager.Token, log);
        using var http = fixture.App.Http(manager.Token);

        var answered = await fixture.IngestAsync(channel, "n-1", "cust-answered", "Hi", "Answered");
        await fixture.IngestAsync(channel, "n-2", "cust-waiting", "Hi", "Waiting");
        await fixture.IngestAsync(channel, "n-3", "cust-waiting", "Anyone?");
        fixture.Time.Advance(TimeSpan.FromMinutes(3));
        await (await http.PostJsonAsync($"/api/conversations/{answered["conversationId"]!.GetValue<long>()}/messages", new { text = "Here!" })).OkJsonAsync(HttpStatusCode.Accepted);
        fixture.Time.Advance(TimeSpan.FromMinutes(6));
        await fixture.SchedulerRoundsAsync();
        await fixture.IdleAsync();
        await fixture.SchedulerRoundsAsync(hub);
        Assert.Empty(log.Of("notification"));

        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        await fixture.IdleAsync();

        var note = await log.WaitForAsync("notification");
        Assert.Equal("Waiting (api) waits for an answer", note["text"]!.GetValue<string>());
        await fixture.SchedulerRoundsAsync();
        await fixture.IdleAsync();
        await fixture.SchedulerRoundsAsync(hub);
        Assert.Single(log.Of("notification"));
        Assert.Equal(2, await fixture.ScalarAsync("select count(*) from automation_jobs")); // one wait per conversation, not per message
    }

    [Fact]
    public async Task A_delayed_rule_runs_after_its_delay_and_not_before()
    {
        await fixture.RuleAsync(new { name = "Follow up", trigger = new { type = "dealCreated" }, delay = "PT2H", actions = new object[] { new { type = "createActivity", activityType = "task", title = "Follow up {deal.title}" } } });
        using var admin = fixture.Admin();
        await (await admin.PostJsonAsync("/api/deals", new { title = "Later" })).OkJsonAsync(HttpStatusCode.Created);

        fixture.Time.Advance(TimeSpan.FromMinutes(119));
        await fixture.SchedulerRoundsAsync(); // a round saw the clock at 119 minutes and left the job waiting
        await fixture.IdleAsync();
        Assert.Equal(0, await fixture.CountAsync("activities"));

        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        await fixture.IdleAsync();
        Assert.Equal(1, await fixture.CountAsync("activities where title = 'Follow up Later'"));
    }

    [Fact]
    public async Task An_action_that_cannot_apply_is_recorded_with_its_reason_and_the_next_one_still_runs()
    {
        await fixture.RuleAsync(new
        {
            name = "Welcome", trigger = new { type = "dealCreated" },
            actions = new object[] { new { type = "sendMessage", text = "Hi" }, new { type = "createActivity", activityType = "call", title = "Call" } },
        });
        using var admin = fixture.Admin();
        var deal = await (await admin.PostJsonAsync("/api/deals", new { title = "No conversation" })).OkJsonAsync(HttpStatusCode.Created);
        await fixture.IdleAsync();

        var runs = await fixture.AutomationEntriesAsync("deal", deal.Id());
        Assert.Equal(["failed", "done"], runs.Select(r => r["data"]!["status"]!.GetValue<string>()));
        Assert.Contains("no conversation", runs[0]["data"]!["result"]!["reason"]!.GetValue<string>());
        Assert.Equal(1, await fixture.CountAsync("activities"));
        Assert.Equal(1, await fixture.ScalarAsync("select count(*) from automation_jobs where state = 'done'"));
    }
}
