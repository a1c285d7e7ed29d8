using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Crm.Tests;

/// <summary>The addLabel automation action (issue #16): labels the lead's or deal's conversations, pushed like any label change.</summary>
[Collection(CrmCollection.Name)]
public sealed class LabelAutomationTests(CrmFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await fixture.ResetCrmAsync();
        await fixture.ExecuteResetAsync("truncate table labels restart identity cascade");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task LeadCreated_addLabel_by_name_labels_the_leads_conversation_and_pushes_it()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("label-owner", "manager", channel.Id);
        using var admin = fixture.Admin();
        var label = (await (await admin.PostAsJsonAsync("/api/labels", new { name = "New lead", color = "#3366ff" })).OkJsonAsync(HttpStatusCode.Created)).Id();
        var ruleId = await fixture.RuleAsync(new { name = "Tag new leads", trigger = new { type = "leadCreated" }, actions = new object[] { new { type = "addLabel", label = "NEW LEAD" } } });
        var rule = (await (await admin.GetAsync("/api/automation/rules")).OkArrayAsync()).Single(r => r!.Id() == ruleId)!;
        Assert.Equal(label, rule["actions"]![0]!["labelId"]!.GetValue<long>());
        var log = new EventLog();
        await using var hub = await fixture.HubAsync(manager.Token, log);

        var conversationId = (await fixture.IngestAsync(channel, "al-1", "cust-al", "Hello", "Ada"))["conversationId"]!.GetValue<long>();
        await fixture.IdleAsync();

        using var http = fixture.App.Http(manager.Token);
        var conversation = await (await http.GetAsync($"/api/conversations/{conversationId}")).OkJsonAsync();
        Assert.Equal("New lead", Assert.Single(conversation["labels"]!.AsArray())!["name"]!.GetValue<string>());
        await log.WaitForAsync("conversationUpdated", c => c.Id() == conversationId && c["labels"]!.AsArray().Count == 1);
        var leadId = conversation["leadId"]!.GetValue<long>();
        var run = Assert.Single(await fixture.AutomationEntriesAsync("lead", leadId));
        Assert.Equal("done", run["data"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AddLabel_naming_no_label_is_refused_and_a_deleted_label_fails_the_action_not_the_job()
    {
        using var admin = fixture.Admin();
        var label = (await (await admin.PostAsJsonAsync("/api/labels", new { name = "Doomed", color = "#000000" })).OkJsonAsync(HttpStatusCode.Created)).Id();
        foreach (var (action, field) in new (object, string)[]
        {
            (new { type = "addLabel" }, "actions[0].labelId"), (new { type = "addLabel", labelId = 999 }, "actions[0].labelId"),
            (new { type = "addLabel", label = "Nope" }, "actions[0].label"), (new { type = "addLabel", labelId = "x" }, "actions[0].labelId"),
        })
        {
            var response = await admin.PostAsJsonAsync("/api/automation/rules", new { name = "r", trigger = new { type = "leadCreated" }, actions = new[] { action } });
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
            Assert.Contains($"\"{field}\"", body);
        }
        await fixture.RuleAsync(new
        {
            name = "Tag then note", trigger = new { type = "leadCreated" },
            actions = new object[] { new { type = "addLabel", labelId = label }, new { type = "createActivity", activityType = "task", title = "Look" } },
        });
        (await admin.DeleteAsync($"/api/labels/{label}")).EnsureSuccessStatusCode();
        var channel = await fixture.CreateApiChannelAsync();

        var conversationId = (await fixture.IngestAsync(channel, "al-2", "cust-al2", "Hello"))["conversationId"]!.GetValue<long>();
        await fixture.IdleAsync();

        var conversation = await (await admin.GetAsync($"/api/conversations/{conversationId}")).OkJsonAsync();
        Assert.Empty(conversation["labels"]!.AsArray());
        var runs = await fixture.AutomationEntriesAsync("lead", conversation["leadId"]!.GetValue<long>());
        Assert.Equal(["failed", "done"], runs.Select(r => r["data"]!["status"]!.GetValue<string>()));
        Assert.Contains("no longer exists", runs[0]["data"]!["result"]!["reason"]!.GetValue<string>());
    }
}
