using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>Labels (issue #16): the catalogue, labels on conversations and contacts, the list filter, and who sees what.</summary>
public sealed class LabelsTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        await fixture.ExecuteResetAsync("truncate table labels restart identity cascade");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Everyone_reads_the_labels_only_staff_change_them_and_bad_names_or_colours_are_refused()
    {
        var manager = await fixture.CreateUserAsync("lm", "manager");
        var supervisor = await fixture.CreateUserAsync("ls", "supervisor");
        using var admin = fixture.App.Http(fixture.AdminToken);
        using var staff = fixture.App.Http(supervisor.Token);
        using var http = fixture.App.Http(manager.Token);

        var vip = await (await admin.PostAsJsonAsync("/api/labels", new { name = "  VIP  ", color = "#FFAA00" })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("VIP", vip["name"]!.GetValue<string>());
        Assert.Equal("#ffaa00", vip["color"]!.GetValue<string>());
        await (await staff.PostAsJsonAsync("/api/labels", new { name = "Billing", color = "#123456" })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsJsonAsync("/api/labels", new { name = "Mine", color = "#123456" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PatchAsJsonAsync($"/api/labels/{vip.Id()}", new { name = "X" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.DeleteAsync($"/api/labels/{vip.Id()}")).StatusCode);

        await (await admin.PostAsJsonAsync("/api/labels", new { name = "vip", color = "#000000" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PatchAsJsonAsync($"/api/labels/{vip.Id()}", new { name = "BILLING" })).ProblemAsync(HttpStatusCode.Conflict);
        foreach (var bad in new object[]
        {
            new { name = "", color = "#123456" }, new { name = "   ", color = "#123456" }, new { name = new string('x', 51), color = "#123456" },
            new { name = "Nul\u0000", color = "#123456" }, new { name = "Red", color = "red" }, new { name = "Red", color = "#12345" },
            new { name = "Red", color = "#1234567" }, new { name = "Red", color = "#12345g" }, new { name = "Red", color = "#123456\n" }, new { name = "Red" },
        })
        {
            await (await admin.PostAsJsonAsync("/api/labels", bad)).ProblemAsync(HttpStatusCode.BadRequest);
        }
        await (await admin.PatchAsJsonAsync($"/api/labels/{vip.Id()}", new { color = "blue" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PatchAsJsonAsync("/api/labels/999999", new { name = "Gone" })).ProblemAsync(HttpStatusCode.NotFound);
        // No body, a null one, or one that names nothing: a 400 as every PATCH, not a 200 that touched the label and pushed it.
        var touched = await LabelUpdatedAtAsync(vip.Id());
        foreach (var nothing in new[] { "", "null", "{}" })
        {
            using var content = new StringContent(nothing, System.Text.Encoding.UTF8, "application/json");
            await (await admin.PatchAsync($"/api/labels/{vip.Id()}", content)).ProblemAsync(HttpStatusCode.BadRequest);
        }
        Assert.Equal(touched, await LabelUpdatedAtAsync(vip.Id()));

        var renamed = await (await staff.PatchAsJsonAsync($"/api/labels/{vip.Id()}", new { name = "Very important" })).OkJsonAsync();
        Assert.Equal("#ffaa00", renamed["color"]!.GetValue<string>());
        var list = await (await http.GetAsync("/api/labels")).OkArrayAsync();
        Assert.Equal(["Billing", "Very important"], list.Select(l => l!["name"]!.GetValue<string>()));
        Assert.Equal(2, await fixture.CountAsync("labels"));
    }

    [Fact]
    public async Task Labels_put_on_a_conversation_are_in_its_summaries_and_another_manager_gets_404_and_changes_nothing()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("pa", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("pb", "manager", channel.Id);
        var id = (await fixture.IngestAsync(channel, "p-1", "cust-p", "hello"))["conversationId"]!.GetValue<long>();
        var vip = await LabelAsync("VIP", "#ff0000");
        var billing = await LabelAsync("Billing", "#00ff00");
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        (await http1.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = m1.Id })).EnsureSuccessStatusCode();

        var set = await (await http1.PutAsJsonAsync($"/api/conversations/{id}/labels", new { labelIds = new[] { vip, billing, vip } })).OkJsonAsync();
        Assert.Equal(["Billing", "VIP"], Names(set["labels"]));

        await (await http2.PutAsJsonAsync($"/api/conversations/{id}/labels", new { labelIds = Array.Empty<long>() })).ProblemAsync(HttpStatusCode.NotFound);
        await (await http1.PutAsJsonAsync($"/api/conversations/{id}/labels", new { labelIds = new[] { vip, 999_999L } })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http1.PutAsJsonAsync($"/api/conversations/{id}/labels", new { })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http1.PutAsJsonAsync($"/api/conversations/999999/labels", new { labelIds = new[] { vip } })).ProblemAsync(HttpStatusCode.NotFound);

        var single = await (await http1.GetAsync($"/api/conversations/{id}")).OkJsonAsync();
        Assert.Equal(["Billing", "VIP"], Names(single["labels"]));
        Assert.Equal("#00ff00", single["labels"]![0]!["color"]!.GetValue<string>());
        var row = Assert.Single((await (await http1.GetAsync("/api/conversations")).OkJsonAsync())["items"]!.AsArray());
        Assert.Equal(["Billing", "VIP"], Names(row!["labels"]));

        var cleared = await (await http1.PutAsJsonAsync($"/api/conversations/{id}/labels", new { labelIds = new[] { billing } })).OkJsonAsync();
        Assert.Equal(["Billing"], Names(cleared["labels"]));
        Assert.Equal(1, await fixture.CountAsync("conversation_labels"));
    }

    [Fact]
    public async Task The_label_filter_pages_by_keyset_and_keeps_the_visibility_rule()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("fa", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("fb", "manager", channel.Id);
        var vip = await LabelAsync("VIP", "#ff0000");
        using var admin = fixture.App.Http(fixture.AdminToken);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await fixture.IngestAsync(channel, $"f-{i}", $"cust-f{i}", "hello"))["conversationId"]!.GetValue<long>());
        }
        // Labelled: 0, 2, 3, 4; conversation 4 is m1's (m2 must not see it through the filter).
        await (await admin.PostAsJsonAsync("/api/conversations/labels", new { conversationIds = new[] { ids[0], ids[2], ids[3], ids[4] }, add = new[] { vip } })).OkJsonAsync();
        (await admin.PostAsJsonAsync($"/api/conversations/{ids[4]}/assign", new { userId = m1.Id })).EnsureSuccessStatusCode();
        using var http2 = fixture.App.Http(m2.Token);

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await (await http2.GetAsync($"/api/conversations?labelId={vip}&limit=1" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"))).OkJsonAsync();
            seen.AddRange(page["items"]!.AsArray().Select(c => c!.Id()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal([ids[3], ids[2], ids[0]], seen);
        using var http1 = fixture.App.Http(m1.Token);
        var mine = await (await http1.GetAsync($"/api/conversations?labelId={vip}&view=mine")).OkJsonAsync();
        Assert.Equal(ids[4], Assert.Single(mine["items"]!.AsArray())!.Id());
        Assert.Empty((await (await http2.GetAsync("/api/conversations?labelId=999999")).OkJsonAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task Bulk_changes_all_or_nothing_under_visibility_and_pushes_each_changed_conversation()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("ba", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("bb", "manager", channel.Id);
        var vip = await LabelAsync("VIP", "#ff0000");
        var spam = await LabelAsync("Spam", "#000000");
        var open1 = (await fixture.IngestAsync(channel, "b-1", "cust-b1", "hello"))["conversationId"]!.GetValue<long>();
        var open2 = (await fixture.IngestAsync(channel, "b-2", "cust-b2", "hello"))["conversationId"]!.GetValue<long>();
        var taken = (await fixture.IngestAsync(channel, "b-3", "cust-b3", "hello"))["conversationId"]!.GetValue<long>();
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        (await http1.PostAsJsonAsync($"/api/conversations/{taken}/assign", new { userId = m1.Id })).EnsureSuccessStatusCode();
        await using var hub1 = await fixture.ConnectHubAsync(m1.Token);
        var events1 = new HubRecorder(hub1);

        await (await http2.PostAsJsonAsync("/api/conversations/labels", new { conversationIds = new[] { open1, taken }, add = new[] { vip } }))
            .ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await fixture.CountAsync("conversation_labels"));
        await (await http1.PostAsJsonAsync("/api/conversations/labels", new { conversationIds = new[] { open1 }, add = new[] { 999_999L } })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http1.PostAsJsonAsync("/api/conversations/labels", new { conversationIds = Array.Empty<long>(), add = new[] { vip } })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http1.PostAsJsonAsync("/api/conversations/labels", new { conversationIds = Enumerable.Range(1, 501).ToArray(), add = new[] { vip } }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        await (await http1.PostAsJsonAsync("/api/conversations/labels", new { conversationIds = new[] { open1 }, add = new[] { vip }, remove = new[] { vip } }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await fixture.CountAsync("conversation_labels"));

        var added = await (await http1.PostAsJsonAsync("/api/conversations/labels", new { conversationIds = new[] { open1, open2, taken }, add = new[] { vip, spam } })).OkJsonAsync();
        Assert.Equal([open1, open2, taken], added["changed"]!.AsArray().Select(n => n!.GetValue<long>()));
        Assert.Equal(6, await fixture.CountAsync("conversation_labels"));
        await events1.WaitForAsync("conversationUpdated", c => c.Id() == taken && Names(c["labels"]).SequenceEqual(["Spam", "VIP"]));

        var removed = await (await http2.PostAsJsonAsync("/api/conversations/labels", new { conversationIds = new[] { open2 }, remove = new[] { spam } })).OkJsonAsync();
        Assert.Equal([open2], removed["changed"]!.AsArray().Select(n => n!.GetValue<long>()));
        await events1.WaitForAsync("conversationUpdated", c => c.Id() == open2 && Names(c["labels"]).SequenceEqual(["VIP"]));
    }

    [Fact]
    public async Task Deleting_a_label_takes_it_off_conversations_and_pushes_them()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("da", "manager", channel.Id);
        var vip = await LabelAsync("VIP", "#ff0000");
        var id = (await fixture.IngestAsync(channel, "d-1", "cust-d", "hello"))["conversationId"]!.GetValue<long>();
        using var admin = fixture.App.Http(fixture.AdminToken);
        await (await admin.PutAsJsonAsync($"/api/conversations/{id}/labels", new { labelIds = new[] { vip } })).OkJsonAsync();
        await using var hub1 = await fixture.ConnectHubAsync(m1.Token);
        var events1 = new HubRecorder(hub1);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/labels/{vip}")).StatusCode);

        await events1.WaitForAsync("conversationUpdated", c => c.Id() == id && c["labels"]!.AsArray().Count == 0);
        using var http1 = fixture.App.Http(m1.Token);
        Assert.Empty((await (await http1.GetAsync($"/api/conversations/{id}")).OkJsonAsync())["labels"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/labels/{vip}")).StatusCode);
    }

    [Fact]
    public async Task Contact_labels_follow_the_contact_visibility_rule_and_show_on_the_conversations_contact()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("ca", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("cb", "manager", channel.Id);
        var vip = await LabelAsync("VIP", "#ff0000");
        var id = (await fixture.IngestAsync(channel, "c-1", "cust-c", "hello"))["conversationId"]!.GetValue<long>();
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        (await http1.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = m1.Id })).EnsureSuccessStatusCode();
        var contactId = (await (await http1.GetAsync($"/api/conversations/{id}")).OkJsonAsync())["contact"]!.Id();
        // The contact's lead is unassigned: take it away from m2 too, so that nothing of this contact is m2's to see.
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("update leads set assignee_id = @m1 where contact_id = @contactId", new { m1 = m1.Id, contactId });
        }

        await (await http2.PutAsJsonAsync($"/api/contacts/{contactId}/labels", new { labelIds = new[] { vip } })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await fixture.CountAsync("contact_labels"));
        await (await http1.PutAsJsonAsync($"/api/contacts/{contactId}/labels", new { labelIds = new[] { 999_999L } })).ProblemAsync(HttpStatusCode.BadRequest);

        var set = await (await http1.PutAsJsonAsync($"/api/contacts/{contactId}/labels", new { labelIds = new[] { vip } })).OkJsonAsync();
        Assert.Equal(["VIP"], Names(set["labels"]));
        var details = await (await http1.GetAsync($"/api/conversations/{id}")).OkJsonAsync();
        Assert.Equal(["VIP"], Names(details["contact"]!["labels"]));
        Assert.Empty(details["labels"]!.AsArray());
        var lead = await (await http1.GetAsync($"/api/leads/{details["leadId"]}")).OkJsonAsync();
        Assert.Equal(["VIP"], Names(lead["contact"]!["labels"]));
    }

    [Fact]
    public async Task Merging_contacts_keeps_the_labels_of_both()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var vip = await LabelAsync("VIP", "#ff0000");
        var billing = await LabelAsync("Billing", "#00ff00");
        using var admin = fixture.App.Http(fixture.AdminToken);
        var first = (await fixture.IngestAsync(channel, "m-1", "cust-m1", "hello"))["conversationId"]!.GetValue<long>();
        var second = (await fixture.IngestAsync(channel, "m-2", "cust-m2", "hello"))["conversationId"]!.GetValue<long>();
        var survivor = (await (await admin.GetAsync($"/api/conversations/{first}")).OkJsonAsync())["contact"]!.Id();
        var merged = (await (await admin.GetAsync($"/api/conversations/{second}")).OkJsonAsync())["contact"]!.Id();
        await (await admin.PutAsJsonAsync($"/api/contacts/{survivor}/labels", new { labelIds = new[] { vip } })).OkJsonAsync();
        await (await admin.PutAsJsonAsync($"/api/contacts/{merged}/labels", new { labelIds = new[] { vip, billing } })).OkJsonAsync();

        var contact = await (await admin.PostAsJsonAsync($"/api/contacts/{survivor}/merge", new { otherContactId = merged })).OkJsonAsync();

        Assert.Equal(["Billing", "VIP"], Names(contact["labels"]));
        Assert.Equal(2, await fixture.CountAsync("contact_labels"));
    }

    private async Task<long> LabelAsync(string name, string color)
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        return (await (await admin.PostAsJsonAsync("/api/labels", new { name, color })).OkJsonAsync(HttpStatusCode.Created)).Id();
    }

    private static List<string> Names(JsonNode? labels) => labels!.AsArray().Select(l => l!["name"]!.GetValue<string>()).ToList();

    private async Task<DateTime> LabelUpdatedAtAsync(long id)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<DateTime>("select updated_at from labels where id = @id", new { id });
    }
}
