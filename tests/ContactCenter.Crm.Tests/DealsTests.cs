using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Crm.Tests;

[Collection(CrmCollection.Name)]
public sealed class DealsTests(CrmFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetCrmAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Stage_moves_are_kept_as_history_and_closing_and_reopening_follow_the_rules()
    {
        using var admin = fixture.Admin();
        var deal = await (await admin.PostJsonAsync("/api/deals", new { title = "Roof repair", amount = 5000, currency = "eur" })).OkJsonAsync(HttpStatusCode.Created);
        var id = deal.Id();
        Assert.Equal("EUR", deal["currency"]!.GetValue<string>());
        var qualification = await fixture.StageIdAsync("Qualification");
        var proposal = await fixture.StageIdAsync("Proposal");

        await (await admin.PatchJsonAsync($"/api/deals/{id}", new { stageId = qualification })).OkJsonAsync();
        var moved = await (await admin.PatchJsonAsync($"/api/deals/{id}", new { stageId = proposal, amount = 5500 })).OkJsonAsync();
        Assert.Equal("Proposal", moved["stage"]!["name"]!.GetValue<string>());
        Assert.Equal(5500m, moved["amount"]!.GetValue<decimal>());

        // Moving onto a won/lost stage goes through close; lost needs a reason from the list.
        Assert.Contains("reason", await (await admin.PatchJsonAsync($"/api/deals/{id}", new { stageId = await fixture.StageIdAsync("Lost") })).ProblemAsync(HttpStatusCode.BadRequest));
        var noReason = await (await admin.PostJsonAsync($"/api/deals/{id}/close", new { outcome = "lost" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("loss reason", noReason);
        await (await admin.PostJsonAsync($"/api/deals/{id}/close", new { outcome = "lost", lossReasonId = 999 })).ProblemAsync(HttpStatusCode.BadRequest);
        var lost = await (await admin.PostJsonAsync($"/api/deals/{id}/close", new { outcome = "lost", lossReasonId = 1 })).OkJsonAsync();
        Assert.Equal("lost", lost["outcome"]!.GetValue<string>());
        Assert.Equal("Too expensive", lost["lossReason"]!["name"]!.GetValue<string>());
        Assert.Equal("Lost", lost["stage"]!["name"]!.GetValue<string>());
        Assert.NotNull(lost["closedAt"]);

        // A closed deal does not move; it reopens on the stage it left.
        var conflict = await (await admin.PatchJsonAsync($"/api/deals/{id}", new { stageId = qualification })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("reopen", conflict);
        await (await admin.PostJsonAsync($"/api/deals/{id}/close", new { outcome = "won" })).ProblemAsync(HttpStatusCode.Conflict);
        var reopened = await (await admin.PostJsonAsync($"/api/deals/{id}/reopen", new { })).OkJsonAsync();
        Assert.Equal(proposal, reopened["stage"]!.Id());
        Assert.Null(reopened["outcome"]);
        Assert.Null(reopened["lossReason"]);
        var won = await (await admin.PostJsonAsync($"/api/deals/{id}/close", new { outcome = "won" })).OkJsonAsync();
        Assert.Equal("Won", won["stage"]!["name"]!.GetValue<string>());

        var timeline = (await (await admin.GetAsync($"/api/deals/{id}/timeline")).OkJsonAsync())["items"]!.AsArray();
        Assert.Equal(["closed", "reopened", "closed", "updated", "stageChanged", "stageChanged", "created"], timeline.Select(e => e!["type"]!.GetValue<string>()));
        var firstMove = timeline[5]!["data"]!;
        Assert.Equal("New", firstMove["fromStage"]!.GetValue<string>());
        Assert.Equal("Qualification", firstMove["toStage"]!.GetValue<string>());
        Assert.Equal("Admin", timeline[5]!["actor"]!["name"]!.GetValue<string>());
        await using var db = fixture.Db();
        var history = (await db.QueryAsync<string>("""
            select s.name from deal_stage_history h join stages s on s.id = h.stage_id where h.deal_id = @id order by h.id
            """, new { id })).ToList();
        Assert.Equal(["New", "Qualification", "Proposal", "Lost", "Proposal", "Won"], history);
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select count(*) from deal_stage_history where deal_id = @id and left_at is null", new { id }));
    }

    [Fact]
    public async Task One_of_several_lost_stages_is_a_loss_reason_by_itself_but_the_single_default_one_is_not()
    {
        using var admin = fixture.Admin();
        var pipeline = await (await admin.PostJsonAsync("/api/pipelines", new
        {
            name = "Tenders",
            stages = new object[] { new { name = "Open", semantic = "open" }, new { name = "Won", semantic = "won" }, new { name = "Lost: price", semantic = "lost" }, new { name = "Lost: late", semantic = "lost" } },
        })).OkJsonAsync(HttpStatusCode.Created);
        var lostLate = pipeline["stages"]![3]!.Id();
        var tender = await (await admin.PostJsonAsync("/api/deals", new { title = "Tender", pipelineId = pipeline.Id() })).OkJsonAsync(HttpStatusCode.Created);
        var plain = await (await admin.PostJsonAsync("/api/deals", new { title = "Plain" })).OkJsonAsync(HttpStatusCode.Created);

        await (await admin.PostJsonAsync($"/api/deals/{plain.Id()}/close", new { outcome = "lost", stageId = await fixture.StageIdAsync("Lost") })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PostJsonAsync($"/api/deals/{tender.Id()}/close", new { outcome = "lost", stageId = pipeline["stages"]![1]!.Id() })).ProblemAsync(HttpStatusCode.BadRequest);
        // Dropped on a lost column of the kanban (PATCH stageId) is the same as closing lost there.
        var lost = await (await admin.PatchJsonAsync($"/api/deals/{tender.Id()}", new { stageId = lostLate })).OkJsonAsync();
        Assert.Equal("lost", lost["outcome"]!.GetValue<string>());
        var wonByDrop = await (await admin.PatchJsonAsync($"/api/deals/{plain.Id()}", new { stageId = await fixture.StageIdAsync("Won") })).OkJsonAsync();
        Assert.Equal("won", wonByDrop["outcome"]!.GetValue<string>());
        Assert.NotNull(wonByDrop["closedAt"]);

        Assert.Equal("Lost: late", lost["stage"]!["name"]!.GetValue<string>());
        var closed = (await (await admin.GetAsync($"/api/deals/{tender.Id()}/timeline")).OkJsonAsync())["items"]![0]!;
        Assert.Equal("Lost: late", closed["data"]!["lossReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_manager_who_creates_a_deal_for_a_colleague_gets_it_back_not_a_500()
    {
        var creator = await fixture.CreateUserAsync("handover", "manager");
        var colleague = await fixture.CreateUserAsync("receiver", "manager");
        var created = await (await fixture.App.Http(creator.Token).PostJsonAsync("/api/deals", new { title = "For you", assigneeId = colleague.Id }))
            .OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal(colleague.Id, created["assignee"]!.Id());
        // Handed over: from now on it is the colleague's, and the creator no longer sees it.
        await (await fixture.App.Http(creator.Token).GetAsync($"/api/deals/{created.Id()}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await fixture.App.Http(colleague.Token).GetAsync($"/api/deals/{created.Id()}")).OkJsonAsync();
    }

    [Fact]
    public async Task Unknown_stage_or_pipeline_is_404_and_bad_fields_are_400()
    {
        using var admin = fixture.Admin();
        await (await admin.PostJsonAsync("/api/deals", new { title = "X", pipelineId = 999 })).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostJsonAsync("/api/deals", new { title = "X", stageId = 999 })).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostJsonAsync("/api/deals", new { title = "" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PostJsonAsync("/api/deals", new { title = "X", amount = -1 })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PostJsonAsync("/api/deals", new { title = "X", currency = "EURO" })).ProblemAsync(HttpStatusCode.BadRequest);
        // Three letters that are no ISO 4217 code were stored and summed on the board apart from every real currency.
        Assert.Contains("ISO 4217", await (await admin.PostJsonAsync("/api/deals", new { title = "X", currency = "ZZZ" })).ProblemAsync(HttpStatusCode.BadRequest));
        var deal = await (await admin.PostJsonAsync("/api/deals", new { title = "X" })).OkJsonAsync(HttpStatusCode.Created);
        await (await admin.PatchJsonAsync($"/api/deals/{deal.Id()}", new { currency = "XXX" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("KZT", (await (await admin.PatchJsonAsync($"/api/deals/{deal.Id()}", new { currency = "kzt" })).OkJsonAsync())["currency"]!.GetValue<string>());
        // The rouble's code before 1998, which Russian-market systems still send (and installations may have stored).
        Assert.Equal("RUR", (await (await admin.PatchJsonAsync($"/api/deals/{deal.Id()}", new { currency = "rur" })).OkJsonAsync())["currency"]!.GetValue<string>());
        await (await admin.PatchJsonAsync($"/api/deals/{deal.Id()}", new { stageId = 999 })).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PatchJsonAsync($"/api/deals/{deal.Id()}", new { assigneeId = 999 })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PatchJsonAsync("/api/deals/999", new { title = "Y" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostJsonAsync($"/api/deals/{deal.Id()}/close", new { outcome = "maybe" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PostJsonAsync($"/api/deals/{deal.Id()}/reopen", new { })).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.GetAsync("/api/deals?cursor=abc")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Managers_see_and_edit_their_own_deals_and_the_unassigned_ones_of_their_channels_only()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var member = await fixture.CreateUserAsync("member", "manager", channel.Id);
        var outsider = await fixture.CreateUserAsync("outsider", "manager");
        var supervisor = await fixture.CreateUserAsync("super", "supervisor");
        using var admin = fixture.Admin();
        await (await admin.PutAsJsonAsync("/api/settings/crm", new { mode = "simple" })).OkJsonAsync();
        await fixture.IngestAsync(channel, "v-1", "cust-v", "hello");
        var inboundDeal = await fixture.Db().ExecuteScalarAsync<long>("select id from deals");
        var outsidersOwn = await (await fixture.App.Http(outsider.Token).PostJsonAsync("/api/deals", new { title = "Own" })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal(outsider.Id, outsidersOwn["assignee"]!.Id());

        using var asMember = fixture.App.Http(member.Token);
        using var asOutsider = fixture.App.Http(outsider.Token);
        await (await asMember.GetAsync($"/api/deals/{inboundDeal}")).OkJsonAsync();
        await (await asOutsider.GetAsync($"/api/deals/{inboundDeal}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await asOutsider.PatchJsonAsync($"/api/deals/{inboundDeal}", new { title = "Mine now" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await asOutsider.GetAsync($"/api/deals/{inboundDeal}/timeline")).ProblemAsync(HttpStatusCode.NotFound);
        await (await asMember.GetAsync($"/api/deals/{outsidersOwn.Id()}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal([outsidersOwn.Id()], (await (await asOutsider.GetAsync("/api/deals")).OkJsonAsync())["items"]!.AsArray().Select(d => d!.Id()));
        Assert.Equal(2, (await (await fixture.App.Http(supervisor.Token).GetAsync("/api/deals")).OkJsonAsync())["items"]!.AsArray().Count);

        // The member takes the deal and hands it to the outsider. Its conversation still waits unassigned in the member's
        // channel, so the member still sees the deal (the one visibility rule: a deal is visible through any conversation
        // the caller may see); once a colleague is assigned that conversation, the member no longer does.
        await (await asMember.PatchJsonAsync($"/api/deals/{inboundDeal}", new { assigneeId = member.Id })).OkJsonAsync();
        await (await asMember.PatchJsonAsync($"/api/deals/{inboundDeal}", new { assigneeId = outsider.Id })).OkJsonAsync();
        await (await asMember.GetAsync($"/api/deals/{inboundDeal}")).OkJsonAsync();
        await (await asOutsider.GetAsync($"/api/deals/{inboundDeal}")).OkJsonAsync();
        var colleague = await fixture.CreateUserAsync("colleague", "manager", channel.Id);
        var conversation = await fixture.Db().ExecuteScalarAsync<long>("select id from conversations where deal_id = @inboundDeal", new { inboundDeal });
        await (await admin.PostAsJsonAsync($"/api/conversations/{conversation}/assign", new { userId = colleague.Id })).EnsureSuccessStatusCode().Content.ReadAsStringAsync();
        await (await asMember.GetAsync($"/api/deals/{inboundDeal}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deal_changes_are_pushed_to_the_people_who_see_the_deal()
    {
        var m1 = await fixture.CreateUserAsync("p1", "manager");
        var m2 = await fixture.CreateUserAsync("p2", "manager");
        var seen1 = new EventLog();
        var seen2 = new EventLog();
        await using var hub1 = await fixture.HubAsync(m1.Token, seen1);
        await using var hub2 = await fixture.HubAsync(m2.Token, seen2);
        using var http = fixture.App.Http(m1.Token);

        var deal = await (await http.PostJsonAsync("/api/deals", new { title = "Pushed" })).OkJsonAsync(HttpStatusCode.Created);
        await seen1.WaitForAsync("dealUpdated", d => d.Id() == deal.Id());
        var counters = await seen1.WaitForAsync("countersChanged", c => c["dealsWithoutActivity"]!.GetValue<long>() == 1);
        await (await http.PatchJsonAsync($"/api/deals/{deal.Id()}", new { stageId = await fixture.StageIdAsync("Proposal") })).OkJsonAsync();
        await seen1.WaitForAsync("dealUpdated", d => d["stageId"]!.GetValue<long>() != deal["stage"]!.Id());

        Assert.NotNull(counters);
        // A liveness marker: a change the second manager does see, made after, travels the same push path.
        using var http2 = fixture.App.Http(m2.Token);
        var own = await (await http2.PostJsonAsync("/api/deals", new { title = "Marker" })).OkJsonAsync(HttpStatusCode.Created);
        await seen2.WaitForAsync("dealUpdated", d => d.Id() == own.Id());
        Assert.DoesNotContain(seen2.Of("dealUpdated"), d => d.Id() == deal.Id());
    }

    [Fact]
    public async Task A_deal_or_lead_handed_to_a_colleague_is_removed_from_the_former_owners_screens_and_no_one_elses()
    {
        var m1 = await fixture.CreateUserAsync("ho1", "manager");
        var m2 = await fixture.CreateUserAsync("ho2", "manager");
        var m3 = await fixture.CreateUserAsync("ho3", "manager");
        var seen1 = new EventLog();
        var seen2 = new EventLog();
        var seen3 = new EventLog();
        await using var hub1 = await fixture.HubAsync(m1.Token, seen1);
        await using var hub2 = await fixture.HubAsync(m2.Token, seen2);
        await using var hub3 = await fixture.HubAsync(m3.Token, seen3);
        using var http1 = fixture.App.Http(m1.Token);
        using var admin = fixture.Admin();
        var deal = await (await http1.PostJsonAsync("/api/deals", new { title = "Handed over" })).OkJsonAsync(HttpStatusCode.Created);
        var lead = await (await http1.PostJsonAsync("/api/leads", new { title = "Lead handed over", contact = new { name = "Hanna Over" } })).OkJsonAsync(HttpStatusCode.Created);

        await (await admin.PatchJsonAsync($"/api/deals/{deal.Id()}", new { assigneeId = m2.Id })).OkJsonAsync();
        var removed = await seen1.WaitForAsync("dealRemoved", d => d.Id() == deal.Id());
        Assert.Equal(m2.Id, removed["assignee"]!.Id());
        await seen2.WaitForAsync("dealUpdated", d => d.Id() == deal.Id());
        await (await admin.PostJsonAsync("/api/leads/bulk", new { ids = new[] { lead.Id() }, action = "assign", assigneeId = m2.Id })).OkJsonAsync();
        await seen1.WaitForAsync("leadRemoved", l => l.Id() == lead.Id());
        await seen2.WaitForAsync("leadUpdated", l => l.Id() == lead.Id());
        await (await http1.GetAsync($"/api/deals/{deal.Id()}")).ProblemAsync(HttpStatusCode.NotFound);

        // A liveness marker for the third manager: a deal of their own, made after, arrives; nothing of the others did.
        using var http3 = fixture.App.Http(m3.Token);
        var own = await (await http3.PostJsonAsync("/api/deals", new { title = "Marker" })).OkJsonAsync(HttpStatusCode.Created);
        await seen3.WaitForAsync("dealUpdated", d => d.Id() == own.Id());
        Assert.Empty(seen3.Of("dealRemoved"));
        Assert.Empty(seen3.Of("leadRemoved"));
        Assert.Empty(seen2.Of("dealRemoved"));
        // Taking a deal back is not a removal for the one who takes it.
        await (await admin.PatchJsonAsync($"/api/deals/{deal.Id()}", new { assigneeId = m1.Id })).OkJsonAsync();
        await seen2.WaitForAsync("dealRemoved", d => d.Id() == deal.Id());
        await seen1.WaitForAsync("dealUpdated", d => d.Id() == deal.Id() && d["assignee"]?["id"]?.GetValue<long>() == m1.Id);
        Assert.Single(seen1.Of("dealRemoved"));
    }
}
