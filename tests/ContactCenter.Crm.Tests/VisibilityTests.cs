using System.Net;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Crm.Tests;

/// <summary>
/// One visibility rule for conversations, contacts, leads and deals (CrmAccess), tried by an attacker holding two ordinary
/// manager accounts: what one manager works is invisible to the other through every CRM route, and answers as missing.
/// </summary>
[Collection(CrmCollection.Name)]
public sealed class VisibilityTests(CrmFixture fixture) : IAsyncLifetime
{
    private const long Missing = 9_999_999;

    public Task InitializeAsync() => fixture.ResetCrmAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_manager_cannot_put_a_contact_they_cannot_see_on_a_lead_or_deal()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("h1a", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("h1b", "manager", channel.Id);
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        var (conversationId, contactId, _) = await IngestAsync(channel, "h1-1", "h1-cust", "my order number is 4711", "Secret Customer");
        await AssignAsync(http1, conversationId, m1.Id);
        var own = await (await http2.PostJsonAsync("/api/deals", new { title = "Mine" })).OkJsonAsync(HttpStatusCode.Created);

        var missingDeal = await AnswerAsync(await http2.PostJsonAsync("/api/deals", new { title = "Grab", contactId = Missing }));
        var missingLead = await AnswerAsync(await http2.PostJsonAsync("/api/leads", new { contactId = Missing }));
        var missingPatch = await AnswerAsync(await http2.PatchJsonAsync($"/api/deals/{own.Id()}", new { contactId = Missing }));
        Assert.Equal(HttpStatusCode.NotFound, missingDeal.Status);
        Assert.Equal(missingDeal, await AnswerAsync(await http2.PostJsonAsync("/api/deals", new { title = "Grab", contactId })));
        Assert.Equal(missingLead, await AnswerAsync(await http2.PostJsonAsync("/api/leads", new { contactId })));
        Assert.Equal(missingPatch, await AnswerAsync(await http2.PatchJsonAsync($"/api/deals/{own.Id()}", new { contactId })));

        // Nothing was attached, so the customer's next message and manager1's reply reach no CRM record of manager2.
        await fixture.IngestAsync(channel, "h1-2", "h1-cust", "second, for manager1 only");
        await (await http1.PostJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "manager1 answers" })).OkJsonAsync(HttpStatusCode.Accepted);
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from deals where contact_id = @contactId", new { contactId }));
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select count(*) from leads where contact_id = @contactId", new { contactId }));
        var timeline = await (await http2.GetAsync($"/api/deals/{own.Id()}/timeline")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("manager1", timeline);
        Assert.DoesNotContain("Secret Customer", await (await http2.GetAsync("/api/deals")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Walking_contact_ids_as_another_manager_finds_none_of_manager1s_contacts()
    {
        var channelA = await fixture.CreateApiChannelAsync(name: "A");
        var channelB = await fixture.CreateApiChannelAsync(name: "B");
        var m1 = await fixture.CreateUserAsync("walk1", "manager", channelA.Id, channelB.Id);
        var m2 = await fixture.CreateUserAsync("walk2", "manager", channelB.Id);
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        var theirs = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            // Taken conversations in a shared channel, and an unassigned one in a channel manager2 is not a member of.
            var (conversationId, contactId, _) = await IngestAsync(i < 2 ? channelB : channelA, $"walk-{i}", $"walk-cust-{i}", "hello", $"Customer {i}");
            if (i < 2)
            {
                await AssignAsync(http1, conversationId, m1.Id);
            }
            theirs.Add(contactId);
        }
        var (_, visible, _) = await IngestAsync(channelB, "walk-own", "walk-own", "hello", "Open to manager2");
        var missing = await AnswerAsync(await http2.PostJsonAsync("/api/leads", new { contactId = Missing }));
        var missingDeal = await AnswerAsync(await http2.PostJsonAsync("/api/deals", new { title = "walk", contactId = Missing }));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);

        var walked = 0;
        for (var contactId = 1L; contactId <= visible + 2; contactId++)
        {
            if (contactId == visible)
            {
                continue;
            }
            Assert.Equal(missing, await AnswerAsync(await http2.PostJsonAsync("/api/leads", new { contactId })));
            Assert.Equal(missingDeal, await AnswerAsync(await http2.PostJsonAsync("/api/deals", new { title = "walk", contactId })));
            walked += theirs.Contains(contactId) ? 1 : 0;
        }
        Assert.Equal(theirs.Count, walked);
        // The rule is not simply "refuse everything": a contact manager2 may see can be used.
        var lead = await (await http2.PostJsonAsync("/api/leads", new { contactId = visible })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Open to manager2", lead["contact"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Taking_a_conversation_takes_its_lead_and_the_other_channel_member_then_finds_nothing()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("take1", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("take2", "manager", channel.Id);
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        var log = new EventLog();
        await using var hub = await fixture.HubAsync(m1.Token, log);
        var (conversationId, _, leadId) = await IngestAsync(channel, "take-1", "take-cust", "I want to buy", "Buyer");
        await (await http2.GetAsync($"/api/leads/{leadId}")).OkJsonAsync(); // unassigned: every member sees it

        await AssignAsync(http1, conversationId, m1.Id);

        var lead = await (await http1.GetAsync($"/api/leads/{leadId}")).OkJsonAsync();
        Assert.Equal(m1.Id, lead["assignee"]!.Id());
        Assert.Equal("in_work", lead["status"]!.GetValue<string>());
        await log.WaitForAsync("leadUpdated", l => l.Id() == leadId && l["assignee"]?["id"]?.GetValue<long>() == m1.Id);
        var timeline = (await (await http1.GetAsync($"/api/leads/{leadId}/timeline")).OkJsonAsync())["items"]!.AsArray();
        var entry = Assert.Single(timeline, e => e!["type"]!.GetValue<string>() == "updated")!;
        Assert.Equal(m1.Id, entry["data"]!["changes"]!["assigneeId"]!.GetValue<long>());
        Assert.Equal(conversationId, entry["data"]!["conversationId"]!.GetValue<long>());
        Assert.Equal(m1.Id, entry["actor"]!["id"]!.GetValue<long>());
        await (await http1.PostJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "manager1 quotes a price" })).OkJsonAsync(HttpStatusCode.Accepted);
        var activity = await (await http1.PostJsonAsync("/api/activities",
            new { subject = new { type = "lead", id = leadId }, type = "call", title = "Call back", dueAt = DateTimeOffset.UtcNow.AddDays(1) })).OkJsonAsync(HttpStatusCode.Created);

        var missing = await AnswerAsync(await http2.GetAsync($"/api/leads/{Missing}"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal(missing, await AnswerAsync(await http2.GetAsync($"/api/leads/{leadId}")));
        Assert.Equal(await AnswerAsync(await http2.GetAsync($"/api/leads/{Missing}/timeline")), await AnswerAsync(await http2.GetAsync($"/api/leads/{leadId}/timeline")));
        Assert.Equal(await AnswerAsync(await http2.PostJsonAsync($"/api/leads/{Missing}/comments", new { text = "hi" })),
            await AnswerAsync(await http2.PostJsonAsync($"/api/leads/{leadId}/comments", new { text = "hi" })));
        Assert.Equal(await AnswerAsync(await http2.PatchJsonAsync($"/api/leads/{Missing}", new { assigneeId = m2.Id })),
            await AnswerAsync(await http2.PatchJsonAsync($"/api/leads/{leadId}", new { assigneeId = m2.Id })));
        object Activity(long subjectId) => new { subject = new { type = "lead", id = subjectId }, type = "call", title = "Steal", dueAt = DateTimeOffset.UtcNow.AddDays(1) };
        Assert.Equal(await AnswerAsync(await http2.PostJsonAsync("/api/activities", Activity(Missing))),
            await AnswerAsync(await http2.PostJsonAsync("/api/activities", Activity(leadId))));
        Assert.Equal(await AnswerAsync(await http2.GetAsync($"/api/activities/{Missing}")), await AnswerAsync(await http2.GetAsync($"/api/activities/{activity.Id()}")));
        Assert.Empty((await (await http2.GetAsync($"/api/activities?assignee=all&subjectType=lead&subjectId={leadId}")).OkJsonAsync())["items"]!.AsArray());
        Assert.Empty((await (await http2.GetAsync("/api/leads")).OkJsonAsync())["items"]!.AsArray());

        // Manager1 keeps the lead.
        Assert.Equal(m1.Id, (await (await http1.GetAsync($"/api/leads/{leadId}")).OkJsonAsync())["assignee"]!.Id());
    }

    [Fact]
    public async Task A_routed_conversation_takes_its_lead_to_the_chosen_manager()
    {
        var secret = "routing-secret-" + Guid.NewGuid().ToString("N");
        var created = await fixture.CreateChannelAsync("api", "Routed", new JsonObject { ["secret"] = secret, ["routing"] = new JsonObject { ["mode"] = "evenly" } });
        var channel = new AppFixture.ApiChannel(created.Id(), secret);
        var m1 = await fixture.CreateUserAsync("route1", "manager", channel.Id);
        var log = new EventLog();
        await using var hub = await fixture.HubAsync(m1.Token, log);

        var (_, _, leadId) = await IngestAsync(channel, "route-1", "route-cust", "hello", "Routed Customer");

        await log.WaitForAsync("leadUpdated", l => l.Id() == leadId && l["assignee"]?["id"]?.GetValue<long>() == m1.Id);
        using var http1 = fixture.App.Http(m1.Token);
        var timeline = (await (await http1.GetAsync($"/api/leads/{leadId}/timeline")).OkJsonAsync())["items"]!.AsArray();
        var entry = Assert.Single(timeline, e => e!["type"]!.GetValue<string>() == "updated")!;
        Assert.Equal("system", entry["actor"]!["type"]!.GetValue<string>());
        Assert.Equal(m1.Id, entry["data"]!["changes"]!["assigneeId"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_contact_in_two_channels_shows_each_manager_only_the_messages_they_may_see()
    {
        var channelA = await fixture.CreateApiChannelAsync(name: "A");
        var channelB = await fixture.CreateApiChannelAsync(name: "B");
        var m1 = await fixture.CreateUserAsync("two1", "manager", channelA.Id);
        var m2 = await fixture.CreateUserAsync("two2", "manager", channelB.Id);
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        using var admin = fixture.Admin();
        var (inA, contactA, leadId) = await IngestAsync(channelA, "two-1", "two-cust", "written to A", "Twice");
        var (inB, contactB, leadB) = await IngestAsync(channelB, "two-2", "two-cust", "written to B", "Twice");
        Assert.Equal(contactA, contactB);
        Assert.Equal(leadId, leadB);

        // Manager2's reply takes the conversation of B, and with it the lead.
        await (await http2.PostJsonAsync($"/api/conversations/{inB}/messages", new { text = "manager2 replies in B" })).OkJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(m2.Id, (await (await http2.GetAsync($"/api/leads/{leadId}")).OkJsonAsync())["assignee"]!.Id());

        // Manager1 still sees the lead through the unassigned conversation of A, but nothing said in B.
        var seen1 = await TimelineTextAsync(http1, leadId);
        Assert.Contains("written to A", seen1);
        Assert.DoesNotContain("written to B", seen1);
        Assert.DoesNotContain("manager2 replies in B", seen1);
        // Manager2 owns the lead and reads B; A is nobody's yet but in a channel closed to them, so not A (it once was: the
        // lead's owner read every unassigned conversation of it, colleagues' private notes included).
        var seen2 = await TimelineTextAsync(http2, leadId);
        Assert.Contains("written to B", seen2);
        Assert.Contains("manager2 replies in B", seen2);
        Assert.DoesNotContain("written to A", seen2);
        // Once manager1 takes A, it is theirs alone.
        await AssignAsync(http1, inA, m1.Id);
        await (await http1.PostJsonAsync($"/api/conversations/{inA}/messages", new { text = "manager1 replies in A" })).OkJsonAsync(HttpStatusCode.Accepted);
        Assert.DoesNotContain("manager1 replies in A", await TimelineTextAsync(http2, leadId));
        Assert.Contains("manager1 replies in A", await TimelineTextAsync(http1, leadId));
        var all = await TimelineTextAsync(admin, leadId);
        Assert.All(["written to A", "written to B", "manager2 replies in B", "manager1 replies in A"], t => Assert.Contains(t, all));
    }

    [Fact]
    public async Task Owning_a_lead_through_a_shared_channel_opens_neither_its_conversation_in_a_closed_channel_nor_a_merge_of_it()
    {
        var closed = await fixture.CreateApiChannelAsync(name: "Closed");
        var shared = await fixture.CreateApiChannelAsync(name: "Shared");
        var m1 = await fixture.CreateUserAsync("cl1", "manager", closed.Id, shared.Id);
        var m2 = await fixture.CreateUserAsync("cl2", "manager", shared.Id);
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        var (hidden, contactId, leadId) = await IngestAsync(closed, "cl-1", "cl-cust", "secret zanzibar order 4711", "Quentin");
        await (await http1.PostJsonAsync($"/api/conversations/{hidden}/messages", new { text = "private quokka note", @private = true })).OkJsonAsync(HttpStatusCode.Accepted);
        var (open, sameContact, sameLead) = await IngestAsync(shared, "cl-2", "cl-cust", "hello on the shared channel", "Quentin");
        Assert.Equal((contactId, leadId), (sameContact, sameLead));

        // manager2 answers on the shared channel: the conversation and its lead are theirs now.
        await (await http2.PostJsonAsync($"/api/conversations/{open}/messages", new { text = "manager2 answers" })).OkJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(m2.Id, (await (await http2.GetAsync($"/api/leads/{leadId}")).OkJsonAsync())["assignee"]!.Id());
        await fixture.IngestAsync(closed, "cl-3", "cl-cust", "lynx on the closed channel", "Quentin");

        // The lead's and the contact's timelines show the shared conversation, nothing of the closed one (it is unassigned).
        foreach (var path in new[] { $"/api/leads/{leadId}/timeline?limit=100", $"/api/contacts/{contactId}/timeline?limit=100" })
        {
            var items = (await (await http2.GetAsync(path)).OkJsonAsync())["items"]!.AsArray();
            var text = items.ToJsonString();
            Assert.Contains("hello on the shared channel", text);
            Assert.All(["zanzibar", "quokka", "lynx"], t => Assert.DoesNotContain(t, text));
            Assert.DoesNotContain(items, e => e!["type"]!.GetValue<string>() == "message" && e["data"]!["conversationId"]!.GetValue<long>() == hidden);
        }
        Assert.Contains("quokka", await TimelineTextAsync(http1, leadId)); // the member who wrote the note still reads it there

        // The lead came from the closed channel's conversation: its card names where it came from, not which conversation.
        var card = await (await http2.GetAsync($"/api/leads/{leadId}")).OkJsonAsync();
        Assert.Equal("api", card["sourceDetails"]!["channel"]!.GetValue<string>());
        Assert.Null(card["sourceDetails"]!["conversationId"]);
        Assert.Null(card["sourceDetails"]!["channelId"]);
        var listed = (await (await http2.GetAsync("/api/leads?limit=100")).OkJsonAsync())["items"]!.AsArray().Single(l => l!.Id() == leadId)!;
        Assert.Null(listed["sourceDetails"]?["conversationId"]);
        Assert.Equal(hidden, (await (await http1.GetAsync($"/api/leads/{leadId}")).OkJsonAsync())["sourceDetails"]!["conversationId"]!.GetValue<long>());

        // Nor can manager2 move the closed channel's conversation onto a contact of their own by merging.
        var mine = await (await http2.PostJsonAsync("/api/contacts", new { name = "Quentin (mine)" })).OkJsonAsync(HttpStatusCode.Created);
        var merge = await http2.PostJsonAsync($"/api/contacts/{mine.Id()}/merge", new { otherContactId = contactId });
        Assert.Equal(HttpStatusCode.Conflict, merge.StatusCode);
        using var admin = fixture.Admin();
        Assert.Equal(contactId, (await (await admin.GetAsync($"/api/conversations/{hidden}")).OkJsonAsync())["contact"]!.Id());
    }

    [Fact]
    public async Task An_activitys_assignee_who_lost_its_deal_keeps_the_activity_but_not_the_deals_later_title()
    {
        var m1 = await fixture.CreateUserAsync("at1", "manager");
        var m2 = await fixture.CreateUserAsync("at2", "manager");
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        var deal = await (await http2.PostJsonAsync("/api/deals", new { title = "Manager2's first title" })).OkJsonAsync(HttpStatusCode.Created);
        var activity = await (await http2.PostJsonAsync("/api/activities",
            new { subject = new { type = "deal", id = deal.Id() }, type = "call", title = "Call back", dueAt = DateTimeOffset.UtcNow.AddDays(1) })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Manager2's first title", activity["subject"]!["title"]!.GetValue<string>());
        await (await http2.PatchJsonAsync($"/api/deals/{deal.Id()}", new { assigneeId = m1.Id })).OkJsonAsync();
        await (await http1.PatchJsonAsync($"/api/deals/{deal.Id()}", new { title = "Manager1's secret title" })).OkJsonAsync();

        var seen = await (await http2.GetAsync($"/api/activities/{activity.Id()}")).OkJsonAsync();
        Assert.Equal(deal.Id(), seen["subject"]!["id"]!.GetValue<long>());
        Assert.Null(seen["subject"]!["title"]);
        Assert.DoesNotContain("secret", (await (await http2.GetAsync("/api/activities?assignee=me")).OkJsonAsync()).ToJsonString());
        Assert.Equal("Manager1's secret title", (await (await http1.GetAsync($"/api/activities/{activity.Id()}")).OkJsonAsync())["subject"]!["title"]!.GetValue<string>());
    }

    private static async Task AssignAsync(HttpClient http, long conversationId, long userId)
    {
        var response = await http.PostJsonAsync($"/api/conversations/{conversationId}/assign", new { userId });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private static async Task<string> TimelineTextAsync(HttpClient http, long leadId) =>
        (await (await http.GetAsync($"/api/leads/{leadId}/timeline?limit=100")).OkJsonAsync())["items"]!.ToJsonString();

    private async Task<(long ConversationId, long ContactId, long LeadId)> IngestAsync(AppFixture.ApiChannel channel, string externalId, string customer, string text, string name)
    {
        var conversationId = (await fixture.IngestAsync(channel, externalId, customer, text, name))["conversationId"]!.GetValue<long>();
        using var admin = fixture.Admin();
        var conversation = await (await admin.GetAsync($"/api/conversations/{conversationId}")).OkJsonAsync();
        return (conversationId, conversation["contact"]!.Id(), conversation["leadId"]!.GetValue<long>());
    }

    /// <summary>Status and problem body (without the per-request trace id): what "answers exactly as a missing id" compares.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> AnswerAsync(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject;
        body?.Remove("traceId");
        return (response.StatusCode, body?.ToJsonString() ?? "");
    }
}
