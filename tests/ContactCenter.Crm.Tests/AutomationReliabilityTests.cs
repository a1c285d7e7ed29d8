using System.Net;
using Dapper;

namespace ContactCenter.Crm.Tests;

[Collection(CrmCollection.Name)]
public sealed class AutomationReliabilityTests(CrmFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetCrmAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(long PipelineId, long FirstStage)> DeliveryPipelineAsync()
    {
        using var admin = fixture.Admin();
        var p = await (await admin.PostJsonAsync("/api/pipelines", new { name = "Delivery" })).OkJsonAsync(HttpStatusCode.Created);
        return (p.Id(), p["stages"]![0]!.Id());
    }

    [Fact]
    public async Task A_tunnel_creates_its_deal_exactly_once_under_failures_retries_and_repeated_triggers()
    {
        var (delivery, firstStage) = await DeliveryPipelineAsync();
        var rule = await fixture.RuleAsync(new
        {
            name = "To delivery", trigger = new { type = "dealWon", pipelineId = 1 },
            actions = new object[]
            {
                new { type = "createDeal", pipelineId = delivery, stageId = firstStage, title = "Deliver {deal.title}" },
                new { type = "createActivity", activityType = "task", title = "Book the truck" },
            },
        });
        await using (var db = fixture.Db())
        {
            // The second action fails once (a fault the runner does not expect), after the tunnel committed.
            await db.ExecuteAsync("""
                create sequence if not exists test_fail_once;
                create or replace function test_fail_activity_once() returns trigger language plpgsql as $$
                begin
                    if nextval('test_fail_once') = 1 then raise exception 'injected failure'; end if;
                    return new;
                end $$;
                create trigger test_fail_activity_once before insert on activities for each row execute function test_fail_activity_once();
                """);
        }
        try
        {
            using var admin = fixture.Admin();
            var deal = await (await admin.PostJsonAsync("/api/deals", new { title = "Sofa", amount = 900 })).OkJsonAsync(HttpStatusCode.Created);
            await (await admin.PostJsonAsync($"/api/deals/{deal.Id()}/close", new { outcome = "won" })).OkJsonAsync();
            await fixture.IdleAsync();

            var runs = await fixture.AutomationEntriesAsync("deal", deal.Id());
            Assert.Equal([("createDeal", "done"), ("createActivity", "error")], runs.Select(r => (r["data"]!["action"]!.GetValue<string>(), r["data"]!["status"]!.GetValue<string>())));
            Assert.Contains("injected failure", runs[1]["data"]!["detail"]!.GetValue<string>());
            Assert.True(runs[1]["data"]!["willRetry"]!.GetValue<bool>());
            Assert.Equal(1, await fixture.ScalarAsync("select count(*) from deals where pipeline_id = @delivery", new { delivery }));

            fixture.Time.Advance(TimeSpan.FromMinutes(2)); // past the retry backoff
            await fixture.IdleAsync();
            runs = await fixture.AutomationEntriesAsync("deal", deal.Id());
            Assert.Equal(["createDeal", "createActivity", "createActivity"], runs.Select(r => r["data"]!["action"]!.GetValue<string>()));
            Assert.Equal("done", runs[2]["data"]!["status"]!.GetValue<string>());
            Assert.Equal(1, await fixture.CountAsync("activities"));

            // Won again after a reopen: the rule runs again but finds its tunnel deal.
            await (await admin.PostJsonAsync($"/api/deals/{deal.Id()}/reopen", new { })).OkJsonAsync();
            await (await admin.PostJsonAsync($"/api/deals/{deal.Id()}/close", new { outcome = "won" })).OkJsonAsync();
            await fixture.IdleAsync();
            // A crashed node's job run again from scratch (its progress lost) still finds it.
            await using (var db = fixture.Db())
            {
                await db.ExecuteAsync("delete from automation_action_runs; update automation_jobs set state = 'pending', due_at = now() - interval '1 day'");
            }
            await fixture.IdleAsync();

            var tunnels = (await fixture.Db().QueryAsync<(long Id, string Title, long? ParentDealId)>(
                "select id, title, parent_deal_id from deals where pipeline_id = @delivery", new { delivery })).ToList();
            var tunnel = Assert.Single(tunnels);
            Assert.Equal("Deliver Sofa", tunnel.Title);
            Assert.Equal(deal.Id(), tunnel.ParentDealId);
            var last = (await fixture.AutomationEntriesAsync("deal", deal.Id())).Last(r => r["data"]!["action"]!.GetValue<string>() == "createDeal");
            Assert.True(last["data"]!["result"]!["existed"]!.GetValue<bool>());
            Assert.Equal(tunnel.Id, last["data"]!["result"]!["dealId"]!.GetValue<long>());
            Assert.Equal(0, await fixture.ScalarAsync("select count(*) from automation_jobs where state = 'failed'"));
            _ = rule;
        }
        finally
        {
            await using var db = fixture.Db();
            await db.ExecuteAsync("drop trigger if exists test_fail_activity_once on activities; drop function if exists test_fail_activity_once(); drop sequence if exists test_fail_once;");
        }
    }

    [Fact]
    public async Task A_failing_action_is_retried_and_after_the_last_attempt_the_job_is_marked_failed_on_the_timeline()
    {
        await fixture.RuleAsync(new { name = "Always fails", trigger = new { type = "dealCreated" }, actions = new object[] { new { type = "createActivity", activityType = "call", title = "x" } } });
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("""
                create or replace function test_fail_activity() returns trigger language plpgsql as $$ begin raise exception 'activities are down'; end $$;
                create trigger test_fail_activity before insert on activities for each row execute function test_fail_activity();
                """);
        }
        try
        {
            using var admin = fixture.Admin();
            var deal = await (await admin.PostJsonAsync("/api/deals", new { title = "Doomed" })).OkJsonAsync(HttpStatusCode.Created);
            for (var attempt = 0; attempt < 3; attempt++)
            {
                await fixture.IdleAsync();
                fixture.Time.Advance(TimeSpan.FromMinutes(11));
            }
            await fixture.IdleAsync();
            var runs = await fixture.AutomationEntriesAsync("deal", deal.Id());
            Assert.Equal([1, 2, 3], runs.Select(r => r["data"]!["attempt"]!.GetValue<int>()));
            Assert.All(runs, r => Assert.Equal("error", r["data"]!["status"]!.GetValue<string>()));
            Assert.False(runs[2]["data"]!["willRetry"]!.GetValue<bool>());
            Assert.Equal(1, await fixture.ScalarAsync("select count(*) from automation_jobs where state = 'failed' and last_error like '%activities are down%'"));
        }
        finally
        {
            await using var db = fixture.Db();
            await db.ExecuteAsync("drop trigger if exists test_fail_activity on activities; drop function if exists test_fail_activity();");
        }
    }

    [Fact]
    public async Task Repeat_sale_three_months_after_a_win_creates_a_new_deal_and_a_call()
    {
        var manager = await fixture.CreateUserAsync("seller", "manager");
        var first = await fixture.StageIdAsync("New");
        await fixture.RuleAsync(new
        {
            name = "Repeat sale", trigger = new { type = "dealWon" }, delay = "P3M",
            actions = new object[]
            {
                new { type = "createDeal", pipelineId = 1, stageId = first, title = "Repeat: {deal.title}" },
                new { type = "createActivity", activityType = "call", title = "Offer {contact.name} a refill", dueIn = "P1D", assignee = "owner" },
            },
        });
        using var http = fixture.App.Http(manager.Token);
        var lead = await (await http.PostJsonAsync("/api/leads", new { contact = new { name = "Maria", email = "maria@example.com" } })).OkJsonAsync(HttpStatusCode.Created);
        var converted = await (await http.PostJsonAsync($"/api/leads/{lead.Id()}/convert", new { title = "Coffee beans", amount = 120 })).OkJsonAsync();
        var dealId = converted.Id("dealId");
        var wonAt = fixture.Time.GetUtcNow();
        await (await http.PostJsonAsync($"/api/deals/{dealId}/close", new { outcome = "won" })).OkJsonAsync();

        fixture.Time.SetUtcNow(wonAt.AddMonths(3).AddDays(-1));
        await fixture.SchedulerRoundsAsync(); // a round saw the clock a day early and left the repeat sale waiting
        await fixture.IdleAsync();
        Assert.Equal(1, await fixture.CountAsync("deals"));

        fixture.Time.SetUtcNow(wonAt.AddMonths(3).AddMinutes(1));
        await fixture.IdleAsync();

        var repeat = await fixture.Db().QuerySingleAsync<(long Id, string Title, long? ContactId, long? AssigneeId, long? ParentDealId, DateTime CreatedAt)>(
            "select id, title, contact_id, assignee_id, parent_deal_id, created_at from deals where id <> @dealId", new { dealId });
        Assert.Equal("Repeat: Coffee beans", repeat.Title);
        Assert.Equal(converted.Id("contactId"), repeat.ContactId);
        Assert.Equal(manager.Id, repeat.AssigneeId);
        Assert.Equal(dealId, repeat.ParentDealId);
        Assert.True(repeat.CreatedAt >= wonAt.AddMonths(3).UtcDateTime);
        var call = await fixture.Db().QuerySingleAsync<(string Title, long AssigneeId, long SubjectId)>("select title, assignee_id, subject_id from activities");
        Assert.Equal(("Offer Maria a refill", manager.Id, repeat.Id), call); // the actions after createDeal act on the new deal
        var repeatTimeline = (await (await http.GetAsync($"/api/deals/{repeat.Id}/timeline")).OkJsonAsync())["items"]!.AsArray();
        Assert.Equal("created", repeatTimeline.Last()!["type"]!.GetValue<string>());
        Assert.Equal("Repeat sale", repeatTimeline.Last()!["actor"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rules_that_trigger_each_other_stop_when_a_rule_would_run_itself_again()
    {
        var qualification = await fixture.StageIdAsync("Qualification");
        var proposal = await fixture.StageIdAsync("Proposal");
        await using (var db = fixture.Db())
        {
            // Written past the API's cycle check (as an older version or a direct edit could have left them).
            await db.ExecuteAsync("""
                insert into automation_rules (name, trigger_type, trigger, actions) values
                  ('Ping', 'stageEntered', jsonb_build_object('type', 'stageEntered', 'stageId', @qualification), jsonb_build_array(jsonb_build_object('type', 'moveStage', 'stageId', @proposal))),
                  ('Pong', 'stageEntered', jsonb_build_object('type', 'stageEntered', 'stageId', @proposal), jsonb_build_array(jsonb_build_object('type', 'moveStage', 'stageId', @qualification)));
                """, new { qualification, proposal });
        }
        using var admin = fixture.Admin();
        var deal = await (await admin.PostJsonAsync("/api/deals", new { title = "Ping-pong" })).OkJsonAsync(HttpStatusCode.Created);

        await (await admin.PatchJsonAsync($"/api/deals/{deal.Id()}", new { stageId = qualification })).OkJsonAsync();
        await fixture.IdleAsync();
        await fixture.SchedulerRoundsAsync(); // any further job a run queued has been picked up
        await fixture.IdleAsync();

        Assert.Equal(2, await fixture.CountAsync("automation_jobs"));
        var entries = await fixture.AutomationEntriesAsync("deal", deal.Id());
        // Pong's move would start Ping again: that is stopped (and written) inside Pong's run.
        Assert.Equal(["done", "loopStopped", "done"], entries.Select(e => e["data"]!["status"]!.GetValue<string>()));
        Assert.Contains("'Ping'", entries[1]["data"]!["detail"]!.GetValue<string>());
        var now = await (await admin.GetAsync($"/api/deals/{deal.Id()}")).OkJsonAsync();
        Assert.Equal(qualification, now["stage"]!.Id());
    }
}
