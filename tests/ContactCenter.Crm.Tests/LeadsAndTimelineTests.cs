using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Crm.Tests;

[Collection(CrmCollection.Name)]
public sealed class LeadsAndTimelineTests(CrmFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetCrmAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Leads_are_created_edited_junked_with_a_reason_and_pushed_to_their_viewers()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var member = await fixture.CreateUserAsync("lm", "manager", channel.Id);
        var outsider = await fixture.CreateUserAsync("lo", "manager");
        var log = new EventLog();
        await using var hub = await fixture.HubAsync(member.Token, log);
        using var asMember = fixture.App.Http(member.Token);
        using var asOutsider = fixture.App.Http(outsider.Token);

        await fixture.IngestAsync(channel, "lj-1", "cust-lj", "Buy cheap watches", "Spammer");
        var lead = (await (await asMember.GetAsync("/api/leads?status=new")).OkJsonAsync())["items"]![0]!;
        await (await asOutsider.GetAsync($"/api/leads/{lead.Id()}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await asOutsider.GetAsync("/api/leads")).OkJsonAsync())["items"]!.AsArray());

        var taken = await (await asMember.PatchJsonAsync($"/api/leads/{lead.Id()}", new { assigneeId = member.Id, title = "Watches?" })).OkJsonAsync();
        Assert.Equal("in_work", taken["status"]!.GetValue<string>());
        Assert.Equal("Watches?", taken["title"]!.GetValue<string>());
        await log.WaitForAsync("leadUpdated", l => l["status"]!.GetValue<string>() == "in_work");
        Assert.Single((await (await asMember.GetAsync("/api/leads?assigneeId=me")).OkJsonAsync())["items"]!.AsArray());
        // The timeline names what the request set, and the status the assignment moved; a title-only edit names the title alone.
        await (await asMember.PatchJsonAsync($"/api/leads/{lead.Id()}", new { title = "Watches, really?" })).OkJsonAsync();
        var edits = (await (await asMember.GetAsync($"/api/leads/{lead.Id()}/timeline")).OkJsonAsync())["items"]!.AsArray()
            .Where(e => e!["type"]!.GetValue<string>() == "updated").Select(e => e!["data"]!["changes"]!.AsObject()).ToList();
        Assert.Equal(2, edits.Count);
        Assert.Equal(["title"], edits[0].Select(c => c.Key));
        Assert.Equal(["assigneeId", "status", "title"], edits[1].Select(c => c.Key).Order());
        Assert.Equal("in_work", edits[1]["status"]!.GetValue<string>());

        await (await asMember.PostJsonAsync($"/api/leads/{lead.Id()}/junk", new { reason = " " })).ProblemAsync(HttpStatusCode.BadRequest);
        var junk = await (await asMember.PostJsonAsync($"/api/leads/{lead.Id()}/junk", new { reason = "Spam" })).OkJsonAsync();
        Assert.Equal("junk", junk["status"]!.GetValue<string>());
        Assert.Equal("Spam", junk["junkReason"]!.GetValue<string>());
        await (await asMember.PostJsonAsync($"/api/leads/{lead.Id()}/convert", new { })).ProblemAsync(HttpStatusCode.Conflict);
        await (await asMember.PostJsonAsync($"/api/leads/{lead.Id()}/junk", new { reason = "Again" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await asMember.PatchJsonAsync($"/api/leads/{lead.Id()}", new { title = "x" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Single((await (await asMember.GetAsync("/api/leads?status=junk")).OkJsonAsync())["items"]!.AsArray());

        // The same customer writing again opens a new lead (the junk one is closed).
        await fixture.IngestAsync(channel, "lj-2", "cust-lj", "Really cheap!");
        Assert.Single((await (await asMember.GetAsync("/api/leads?status=new")).OkJsonAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task Bad_lead_input_is_refused()
    {
        using var admin = fixture.Admin();
        await (await admin.PostJsonAsync("/api/leads", new { title = "Nobody" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PostJsonAsync("/api/leads", new { contactId = 999 })).ProblemAsync(HttpStatusCode.NotFound);
        var lead = await (await admin.PostJsonAsync("/api/leads", new { contact = new { email = "x@example.com" } })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("x@example.com", lead["title"]!.GetValue<string>());
        await (await admin.PostJsonAsync($"/api/leads/{lead.Id()}/convert", new { pipelineId = 999 })).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostJsonAsync($"/api/leads/{lead.Id()}/convert", new { stageId = await fixture.StageIdAsync("Won") })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PatchJsonAsync($"/api/leads/{lead.Id()}", new { status = "converted" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync("/api/leads?status=hot")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PostJsonAsync("/api/leads/999/comments", new { text = "hi" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostJsonAsync($"/api/leads/{lead.Id()}/comments", new { text = "" })).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Timelines_page_newest_first_with_a_keyset_cursor()
    {
        using var admin = fixture.Admin();
        var deal = await (await admin.PostJsonAsync("/api/deals", new { title = "Chatty" })).OkJsonAsync(HttpStatusCode.Created);
        for (var i = 1; i <= 7; i++)
        {
            var entry = await (await admin.PostJsonAsync($"/api/deals/{deal.Id()}/comments", new { text = $"c{i}" })).OkJsonAsync(HttpStatusCode.Created);
            Assert.Equal("comment", entry["type"]!.GetValue<string>());
        }
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await admin.GetAsync($"/api/deals/{deal.Id()}/timeline?limit=3" + (cursor is null ? "" : $"&cursor={cursor}"))).OkJsonAsync();
            seen.AddRange(page["items"]!.AsArray().Select(e => e!["type"]!.GetValue<string>() == "comment" ? e["data"]!["text"]!.GetValue<string>() : e["type"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(["c7", "c6", "c5", "c4", "c3", "c2", "c1", "created"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Loss_reasons_are_listed_and_admins_add_new_ones()
    {
        using var admin = fixture.Admin();
        Assert.Equal(4, (await (await admin.GetAsync("/api/loss-reasons")).OkArrayAsync()).Count);
        var created = await (await admin.PostAsJsonAsync("/api/loss-reasons", new { name = "Timing" })).OkJsonAsync(HttpStatusCode.Created);
        await (await admin.PostAsJsonAsync("/api/loss-reasons", new { name = "Timing" })).ProblemAsync(HttpStatusCode.Conflict);
        var manager = await fixture.CreateUserAsync("lr", "manager");
        using var http = fixture.App.Http(manager.Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsJsonAsync("/api/loss-reasons", new { name = "Mine" })).StatusCode);
        var deal = await (await http.PostJsonAsync("/api/deals", new { title = "Late" })).OkJsonAsync(HttpStatusCode.Created);
        var lost = await (await http.PostJsonAsync($"/api/deals/{deal.Id()}/close", new { outcome = "lost", lossReasonId = created.Id() })).OkJsonAsync();
        Assert.Equal("Timing", lost["lossReason"]!["name"]!.GetValue<string>());
    }
}
