using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.FunctionalTests;

/// <summary>A manager sees conversations assigned to them and the unassigned ones of their channels — over REST and the hub alike.</summary>
public sealed class OwnershipTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Manager2_never_sees_manager1s_conversation_over_REST()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("m1", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("m2", "manager", channel.Id);
        var created = await fixture.IngestAsync(channel, "o-1", "cust", "hello");
        var id = created["conversationId"]!.GetValue<long>();
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);

        // Unassigned: both members see it.
        Assert.Single(await ListAsync(http2, "unassigned"));
        (await http1.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = m1.Id })).EnsureSuccessStatusCode();

        Assert.Empty(await ListAsync(http2, "all"));
        Assert.Empty(await ListAsync(http2, "unassigned"));
        Assert.Equal(HttpStatusCode.NotFound, (await http2.GetAsync($"/api/conversations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http2.GetAsync($"/api/conversations/{id}/messages")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http2.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "sneaky" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http2.PostAsJsonAsync($"/api/conversations/{id}/read", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http2.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = m2.Id })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http2.PostAsJsonAsync($"/api/conversations/{id}/status", new { status = "resolved" })).StatusCode);
        Assert.Equal(1, await fixture.CountAsync("messages"));

        var mine = await ListAsync(http1, "mine");
        Assert.Equal(id, Assert.Single(mine)["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_manager_sees_no_unassigned_conversations_of_channels_they_are_not_a_member_of()
    {
        var channelA = await fixture.CreateApiChannelAsync(name: "A");
        var channelB = await fixture.CreateApiChannelAsync(name: "B");
        var onlyA = await fixture.CreateUserAsync("onlya", "manager", channelA.Id);
        var supervisor = await fixture.CreateUserAsync("sup", "supervisor");
        await fixture.IngestAsync(channelA, "a-1", "ca", "on A");
        var b = await fixture.IngestAsync(channelB, "b-1", "cb", "on B");
        using var manager = fixture.App.Http(onlyA.Token);
        using var staff = fixture.App.Http(supervisor.Token);

        var visible = await ListAsync(manager, "all");
        Assert.Equal("A", Assert.Single(visible)["channel"]!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/conversations/{b["conversationId"]}")).StatusCode);
        Assert.Equal(2, (await ListAsync(staff, "all")).Count);
    }

    [Fact]
    public async Task Manager2_receives_no_hub_event_of_manager1s_conversation()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("h1", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("h2", "manager", channel.Id);
        var first = await fixture.IngestAsync(channel, "h-1", "cust", "first");
        var id = first["conversationId"]!.GetValue<long>();
        using (var http1 = fixture.App.Http(m1.Token))
        {
            (await http1.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = m1.Id })).EnsureSuccessStatusCode();
        }
        await using var hub1 = await fixture.ConnectHubAsync(m1.Token);
        await using var hub2 = await fixture.ConnectHubAsync(m2.Token);
        var events1 = new HubRecorder(hub1);
        var events2 = new HubRecorder(hub2);

        await fixture.IngestAsync(channel, "h-2", "cust", "second, for manager1 only");
        await events1.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "second, for manager1 only");
        await events1.WaitForAsync("countersChanged");
        // A marker event that manager2 must get proves their connection was live while the other events flowed.
        await fixture.IngestAsync(channel, "h-3", "someone-else", "unassigned, for everyone");
        await events2.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "unassigned, for everyone");

        Assert.DoesNotContain(events2.All, e => e.Payload["conversationId"]?.GetValue<long>() == id || e.Payload["id"]?.GetValue<long>() == id);
        var ex = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub2.InvokeAsync("MarkRead", id, (long?)null));
        Assert.Contains("no such conversation", ex.Message);
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub2.InvokeAsync("Typing", id));
    }

    [Fact]
    public async Task Reassigning_away_tells_the_former_assignee_to_drop_the_conversation()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("r1", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("r2", "manager", channel.Id);
        var id = (await fixture.IngestAsync(channel, "ra-1", "cust", "hi"))["conversationId"]!.GetValue<long>();
        using var http1 = fixture.App.Http(m1.Token);
        (await http1.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = m1.Id })).EnsureSuccessStatusCode();
        await using var hub1 = await fixture.ConnectHubAsync(m1.Token);
        await using var hub2 = await fixture.ConnectHubAsync(m2.Token);
        var events1 = new HubRecorder(hub1);
        var events2 = new HubRecorder(hub2);

        (await http1.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = m2.Id })).EnsureSuccessStatusCode();

        var removed = await events1.WaitForAsync("conversationRemoved");
        Assert.Equal(id, removed["id"]!.GetValue<long>());
        var updated = await events2.WaitForAsync("conversationUpdated");
        Assert.Equal(m2.Id, updated["assignee"]!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Only_admins_manage_channels_and_users_and_secrets_are_never_returned()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("plain", "manager", channel.Id);
        using var http = fixture.App.Http(manager.Token);
        using var admin = fixture.App.Http(fixture.AdminToken);

        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsJsonAsync("/api/channels", new { kind = "api", name = "x", settings = new { secret = "0123456789abcdef" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsJsonAsync("/api/users", new { email = "x@y.z", name = "x", role = "admin", password = "password-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PatchAsJsonAsync($"/api/channels/{channel.Id}", new { name = "renamed" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.App.Http().GetAsync("/api/conversations")).StatusCode);

        var listed = await admin.GetStringAsync("/api/channels");
        var one = await http.GetStringAsync($"/api/channels/{channel.Id}");
        Assert.DoesNotContain(channel.Secret, listed);
        Assert.DoesNotContain(channel.Secret, one);
        Assert.Contains("\"secretsSet\":[\"secret\"]", listed);
        var users = await admin.GetStringAsync("/api/users");
        Assert.DoesNotContain("password", users, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Login_refuses_a_wrong_password_and_a_tampered_token()
    {
        using var http = fixture.App.Http();
        var wrong = await http.PostAsJsonAsync("/api/auth/login", new { email = "admin@test.local", password = "nope-nope" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);

        var parts = fixture.AdminToken.Split('.');
        var tampered = parts[0] + "." + parts[1].Replace('A', 'B') + "." + parts[2];
        using var bad = fixture.App.Http(tampered == fixture.AdminToken ? fixture.AdminToken + "x" : tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bad.GetAsync("/api/conversations")).StatusCode);
    }

    [Fact]
    public async Task The_push_audiences_of_conversations_leads_and_deals_are_exactly_the_users_the_visibility_rules_let_see_them()
    {
        var channelA = await fixture.CreateApiChannelAsync(name: "A");
        var channelB = await fixture.CreateApiChannelAsync(name: "B");
        var users = new List<AppFixture.TestUser>
        {
            await fixture.CreateUserAsync("aud-sup", "supervisor"),
            await fixture.CreateUserAsync("aud-admin-off", "admin"),
            await fixture.CreateUserAsync("aud-ma", "manager", channelA.Id),
            await fixture.CreateUserAsync("aud-mb", "manager", channelB.Id),
            await fixture.CreateUserAsync("aud-mab", "manager", channelA.Id, channelB.Id),
            await fixture.CreateUserAsync("aud-ma-off", "manager", channelA.Id),
            await fixture.CreateUserAsync("aud-none", "manager"),
        };
        var unassignedA = (await fixture.IngestAsync(channelA, "aud-1", "cust-a", "hello"))["conversationId"]!.GetValue<long>();
        var assignedB = (await fixture.IngestAsync(channelB, "aud-2", "cust-b", "hello"))["conversationId"]!.GetValue<long>();
        var unassignedB = (await fixture.IngestAsync(channelB, "aud-3", "cust-c", "hello"))["conversationId"]!.GetValue<long>();
        await using var db = fixture.Db();
        await db.OpenAsync();
        await db.ExecuteAsync("update users set is_active = false where email in ('aud-admin-off@test.local', 'aud-ma-off@test.local')");
        await db.ExecuteAsync("update conversations set assignee_id = @mb where id = @assignedB", new { mb = users[3].Id, assignedB });
        // A deal on the unassigned conversation of A, one assigned to the manager of A on the conversation of B.
        await db.ExecuteAsync("""
            insert into deals (pipeline_id, stage_id, title, assignee_id)
            select s.pipeline_id, s.id, t.title, t.assignee from (select pipeline_id, id from stages order by id limit 1) s,
                (values ('unassigned', null::bigint), ('assigned', @ma)) t(title, assignee);
            update conversations set deal_id = (select id from deals where title = 'unassigned') where id = @unassignedA;
            update conversations set deal_id = (select id from deals where title = 'assigned') where id = @unassignedB;
            """, new { ma = users[2].Id, unassignedA, unassignedB });
        var leads = (await db.QueryAsync<long>("select lead_id from conversations where lead_id is not null")).ToList();
        var deals = (await db.QueryAsync<long>("select id from deals")).ToList();
        Assert.NotEmpty(leads);
        Assert.Equal(2, deals.Count);

        async Task<long[]> ByRuleAsync(string table, string alias, string visible, long id) =>
            (await db.QueryAsync<long>($"""
                select u.id from users u where u.is_active and exists (
                    select 1 from {table} {alias} where {alias}.id = @id and {visible.Replace("@staff", "(u.role in ('admin', 'supervisor'))").Replace("@me", "u.id")})
                order by u.id
                """, new { id })).ToArray();
        async Task<long[]> AudienceAsync(string sql, object parameters) => (await db.QueryAsync<long>(sql, parameters)).Order().ToArray();

        foreach (var conversationId in new[] { unassignedA, assignedB, unassignedB })
        {
            var expected = await ByRuleAsync("conversations", "c", ContactCenter.Api.Features.Conversations.ConversationQueries.Visible, conversationId);
            Assert.Equal(expected, await AudienceAsync(ContactCenter.Api.Features.Conversations.ConversationQueries.Audience, new { conversationId }));
        }
        foreach (var leadId in leads)
        {
            var expected = await ByRuleAsync("leads", "l", ContactCenter.Api.Features.Crm.CrmAccess.LeadVisible, leadId);
            Assert.Equal(expected, await AudienceAsync(ContactCenter.Api.Features.Crm.CrmAccess.LeadAudience, new { leadId }));
        }
        foreach (var dealId in deals)
        {
            var expected = await ByRuleAsync("deals", "d", ContactCenter.Api.Features.Crm.CrmAccess.DealVisible, dealId);
            Assert.Equal(expected, await AudienceAsync(ContactCenter.Api.Features.Crm.CrmAccess.DealAudience, new { dealId }));
        }
        // And the cases are not trivial: the unassigned conversation of A goes to the supervisor and the active members of A only.
        var audienceA = await AudienceAsync(ContactCenter.Api.Features.Conversations.ConversationQueries.Audience, new { conversationId = unassignedA });
        Assert.Contains(users[0].Id, audienceA);
        Assert.Contains(users[2].Id, audienceA);
        Assert.Contains(users[4].Id, audienceA);
        Assert.DoesNotContain(users[1].Id, audienceA);
        Assert.DoesNotContain(users[3].Id, audienceA);
        Assert.DoesNotContain(users[5].Id, audienceA);
        Assert.DoesNotContain(users[6].Id, audienceA);
        Assert.Equal([users[0].Id, users[3].Id], (await AudienceAsync(ContactCenter.Api.Features.Conversations.ConversationQueries.Audience, new { conversationId = assignedB }))
            .Where(id => users.Any(u => u.Id == id)).ToArray());
        Assert.Empty(await AudienceAsync(ContactCenter.Api.Features.Conversations.ConversationQueries.Audience, new { conversationId = -1L }));
        // A lead or deal is seen by whoever sees one of its conversations: the lead of B's assigned conversation by its assignee
        // (not by the channel's other members), the deal assigned to A's manager also by the members of B, whose queue holds its conversation.
        long[] Ours(long[] ids) => ids.Where(id => users.Any(u => u.Id == id)).ToArray();
        var leadOfAssignedB = await db.ExecuteScalarAsync<long>("select lead_id from conversations where id = @assignedB", new { assignedB });
        Assert.Equal([users[0].Id, users[3].Id], Ours(await AudienceAsync(ContactCenter.Api.Features.Crm.CrmAccess.LeadAudience, new { leadId = leadOfAssignedB })));
        var assignedDeal = await db.ExecuteScalarAsync<long>("select id from deals where title = 'assigned'");
        Assert.Equal([users[0].Id, users[2].Id, users[3].Id, users[4].Id], Ours(await AudienceAsync(ContactCenter.Api.Features.Crm.CrmAccess.DealAudience, new { dealId = assignedDeal })));
    }

    private static async Task<List<JsonObject>> ListAsync(HttpClient http, string view)
    {
        var page = await http.GetFromJsonAsync<JsonObject>($"/api/conversations?view={view}");
        return page!["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
    }
}
