using System.Net;
using System.Text.Json.Nodes;

namespace ContactCenter.Crm.Tests;

/// <summary>
/// What a deal's, a lead's and an activity's PATCH do with a body that names something else or nothing (found by an outside
/// review, session 42): a member they do not take is a 400 naming it, as docs/API-EXTENSIONS.md "Errors" says (it was
/// dropped and the rest written, so a misspelt field was lost without a word); a body that names nothing changes nothing
/// (a lead's and an activity's wrote an empty "updated" entry). And a lead's timeline read by its owner who does not see
/// the conversation it came from does not name that conversation (its source does not either).
/// </summary>
[Collection(CrmCollection.Name)]
public sealed class EditBodiesTests(CrmFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetCrmAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_field_the_edit_does_not_take_is_refused_by_name_and_nothing_is_written()
    {
        using var admin = fixture.Admin();
        var (deal, lead, activity) = await RecordsAsync(admin, "Typo", activityOn: "deal");

        foreach (var (url, read, body, unknown) in new[]
        {
            ($"/api/deals/{deal.Id()}", $"/api/deals/{deal.Id()}", "{\"title\": \"Changed\", \"zzUnknown\": 1}", "zzUnknown"),
            ($"/api/deals/{deal.Id()}", $"/api/deals/{deal.Id()}", "{\"titel\": \"Changed\"}", "titel"),
            ($"/api/leads/{lead.Id()}", $"/api/leads/{lead.Id()}", "{\"title\": \"Changed\", \"zzUnknown\": 1}", "zzUnknown"),
            ($"/api/leads/{lead.Id()}", $"/api/leads/{lead.Id()}", "{\"asigneeId\": null}", "asigneeId"),
            ($"/api/activities/{activity.Id()}", "/api/activities?state=planned", "{\"title\": \"Changed\", \"dueAtt\": \"2030-01-01T00:00:00Z\"}", "dueAtt"),
        })
        {
            var before = await ReadAsync(admin, read);
            var timeline = await TimelineCountAsync(admin, deal.Id(), lead.Id());
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            var response = await admin.PatchAsync(url, content);
            var detail = await response.ProblemAsync(HttpStatusCode.BadRequest);
            Assert.StartsWith($"Unknown field {unknown}: it takes ", detail, StringComparison.Ordinal);
            Assert.Equal(before, await ReadAsync(admin, read));
            Assert.Equal(timeline, await TimelineCountAsync(admin, deal.Id(), lead.Id()));
        }
    }

    [Fact]
    public async Task An_edit_that_names_nothing_writes_nothing_and_a_lead_status_alone_writes_one_entry()
    {
        using var admin = fixture.Admin();
        var (deal, lead, activity) = await RecordsAsync(admin, "Quiet", activityOn: "lead");
        var leadBefore = await ReadAsync(admin, $"/api/leads/{lead.Id()}");
        var dealBefore = await ReadAsync(admin, $"/api/deals/{deal.Id()}");
        var entries = await TimelineCountAsync(admin, deal.Id(), lead.Id());

        Assert.Equal(leadBefore, (await (await admin.PatchJsonAsync($"/api/leads/{lead.Id()}", new { })).OkJsonAsync()).ToJsonString());
        Assert.Equal(dealBefore, (await (await admin.PatchJsonAsync($"/api/deals/{deal.Id()}", new { })).OkJsonAsync()).ToJsonString());
        await (await admin.PatchJsonAsync($"/api/activities/{activity.Id()}", new { })).OkJsonAsync();

        Assert.Equal(leadBefore, await ReadAsync(admin, $"/api/leads/{lead.Id()}"));
        Assert.Equal(entries, await TimelineCountAsync(admin, deal.Id(), lead.Id()));

        // A configurable status alone: its own entry, and no empty one beside it.
        var status = (await (await admin.GetAsync("/api/lead-statuses")).OkArrayAsync()).First()!.Id();
        await (await admin.PatchJsonAsync($"/api/leads/{lead.Id()}", new { statusId = status })).OkJsonAsync();
        var updates = (await (await admin.GetAsync($"/api/leads/{lead.Id()}/timeline")).OkJsonAsync())["items"]!.AsArray()
            .Where(e => e!["type"]!.GetValue<string>() == "updated").Select(e => e!["data"]!["changes"]!.AsObject()).ToList();
        var update = Assert.Single(updates);
        Assert.Equal(["statusId"], update.Select(c => c.Key));
    }

    [Fact]
    public async Task A_leads_timeline_does_not_name_a_conversation_its_reader_does_not_see()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var member = await fixture.CreateUserAsync("eb-member", "manager", channel.Id);
        var owner = await fixture.CreateUserAsync("eb-owner", "manager");
        using var admin = fixture.Admin();
        using var asMember = fixture.App.Http(member.Token);
        using var asOwner = fixture.App.Http(owner.Token);

        await fixture.IngestAsync(channel, "eb-1", "cust-eb", "Hello, I want a quote", "Quote seeker");
        var lead = (await (await admin.GetAsync("/api/leads?status=new")).OkJsonAsync())["items"]![0]!;
        var conversation = (await (await asMember.GetAsync("/api/conversations?view=all")).OkJsonAsync())["items"]![0]!;
        // The lead is handed to a manager outside the channel: theirs to read, its (unassigned) conversation not. The admin's
        // answer is the lead as the admin reads it (its source names the conversation; the answer hid it, GET did not).
        var handed = await (await admin.PatchJsonAsync($"/api/leads/{lead.Id()}", new { assigneeId = owner.Id })).OkJsonAsync();
        var adminsCopy = await (await admin.GetAsync($"/api/leads/{lead.Id()}")).OkJsonAsync();
        Assert.Equal(conversation.Id(), adminsCopy["sourceDetails"]!["conversationId"]!.GetValue<long>());
        Assert.Equal(adminsCopy["sourceDetails"]!.ToJsonString(), handed["sourceDetails"]!.ToJsonString());
        await (await asOwner.GetAsync($"/api/conversations/{conversation.Id()}")).ProblemAsync(HttpStatusCode.NotFound);

        var forOwner = await ReadAsync(asOwner, $"/api/leads/{lead.Id()}/timeline");
        var forMember = await ReadAsync(asMember, $"/api/leads/{lead.Id()}/timeline");
        var contact = (await (await asOwner.GetAsync($"/api/leads/{lead.Id()}")).OkJsonAsync())["contact"]!.Id();
        var contactForOwner = await ReadAsync(asOwner, $"/api/contacts/{contact}/timeline");

        Assert.Contains("\"created\"", forOwner, StringComparison.Ordinal);
        Assert.DoesNotContain("conversationId", forOwner, StringComparison.Ordinal);
        Assert.DoesNotContain("conversationId", contactForOwner, StringComparison.Ordinal);
        // The member sees the conversation, so their copy names it.
        Assert.Contains($"\"conversationId\":{conversation.Id()}", forMember, StringComparison.Ordinal);
    }

    /// <summary>A deal, a lead and an open activity on one of them, named after <paramref name="name"/>.</summary>
    private static async Task<(JsonObject Deal, JsonObject Lead, JsonObject Activity)> RecordsAsync(HttpClient admin, string name, string activityOn)
    {
        var deal = await (await admin.PostJsonAsync("/api/deals", new { title = $"{name} deal" })).OkJsonAsync(HttpStatusCode.Created);
        var lead = await (await admin.PostJsonAsync("/api/leads", new { title = $"{name} lead", contact = new { name } })).OkJsonAsync(HttpStatusCode.Created);
        var subject = activityOn == "deal" ? deal : lead;
        var activity = await (await admin.PostJsonAsync("/api/activities",
            new { subject = new { type = activityOn, id = subject.Id() }, type = "call", title = $"{name} call", dueAt = DateTimeOffset.UtcNow.AddDays(1) })).OkJsonAsync(HttpStatusCode.Created);
        return (deal, lead, activity);
    }

    private static async Task<string> ReadAsync(HttpClient http, string url) => (await (await http.GetAsync(url)).OkJsonOrArrayAsync()).ToJsonString();

    private static async Task<int> TimelineCountAsync(HttpClient http, long deal, long lead) =>
        (await (await http.GetAsync($"/api/deals/{deal}/timeline?limit=100")).OkJsonAsync())["items"]!.AsArray().Count
        + (await (await http.GetAsync($"/api/leads/{lead}/timeline?limit=100")).OkJsonAsync())["items"]!.AsArray().Count;
}
