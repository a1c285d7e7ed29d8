using System.Net;
using System.Net.Http.Json;

namespace ContactCenter.Crm.Tests;

[Collection(CrmCollection.Name)]
public sealed class AutomationRulesTests(CrmFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetCrmAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static object Note => new { type = "notify", to = "owner", text = "x" };

    [Fact]
    public async Task Rules_with_unknown_triggers_actions_or_references_are_refused_with_the_field_at_fault()
    {
        using var admin = fixture.Admin();
        async Task<string> Refused(object rule, string field)
        {
            var response = await admin.PostAsJsonAsync("/api/automation/rules", rule);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
            Assert.True(body.Contains($"\"{field}\"", StringComparison.Ordinal), body);
            return System.Text.Json.Nodes.JsonNode.Parse(body)!["detail"]!.GetValue<string>();
        }
        Assert.Contains("Unknown trigger 'dealExploded'", await Refused(new { name = "r", trigger = new { type = "dealExploded" }, actions = new[] { Note } }, "trigger.type"));
        Assert.Contains("Unknown action 'fax'", await Refused(new { name = "r", trigger = new { type = "leadCreated" }, actions = new object[] { new { type = "fax" } } }, "actions[0].type"));
        await Refused(new { name = "r", trigger = new { type = "stageEntered" }, actions = new[] { Note } }, "trigger.stageId");
        await Refused(new { name = "r", trigger = new { type = "stageEntered", stageId = 999 }, actions = new[] { Note } }, "trigger.stageId");
        await Refused(new { name = "r", trigger = new { type = "noReply" }, actions = new[] { Note } }, "trigger.minutes");
        await Refused(new { name = "r", trigger = new { type = "leadCreated" }, delay = "3 months", actions = new[] { Note } }, "delay");
        await Refused(new { name = "r", trigger = new { type = "leadCreated" }, actions = Array.Empty<object>() }, "actions");
        await Refused(new { name = "r", trigger = new { type = "dealWon" }, actions = new object[] { new { type = "createDeal", pipelineId = 1, stageId = await fixture.StageIdAsync("Won") } } }, "actions[0].stageId");
        await Refused(new { name = "r", trigger = new { type = "dealWon" }, actions = new object[] { new { type = "assign", userId = 999 } } }, "actions[0].userId");
        await Refused(new { name = "r", trigger = new { type = "dealWon" }, conditions = new object[] { new { field = "color", op = "eq", value = "red" } }, actions = new[] { Note } }, "conditions[0].field");
        await Refused(new { trigger = new { type = "dealWon" }, actions = new[] { Note } }, "name");
        // The body is a typed record: a member it does not take (a misspelt one would silently do nothing) and a part of
        // the wrong JSON type are refused by name.
        Assert.Contains("Unknown field condition", await Refused(new { name = "r", trigger = new { type = "dealWon" }, condition = new object[] { new { field = "amount", op = "gt", value = 5 } }, actions = new[] { Note } }, "condition"));
        await Refused(new { name = "r", enabled = "yes", trigger = new { type = "dealWon" }, actions = new[] { Note } }, "enabled");
        await Refused(new { name = 5, trigger = new { type = "dealWon" }, actions = new[] { Note } }, "name");
        await Refused(new { name = "r", trigger = "dealWon", actions = new[] { Note } }, "trigger");
        await Refused(new { name = "r", trigger = new { type = "dealWon" }, conditions = "amount > 5", actions = new[] { Note } }, "conditions");
        await Refused(new { name = "r", trigger = new { type = "dealWon" }, actions = Note }, "actions");
        // Inside the trigger, a condition or an action too: a misspelt member is refused, not dropped from the saved rule.
        await Refused(new { name = "r", trigger = new { type = "dealWon" }, actions = new object[] { new { type = "createActivity", activityType = "call", title = "x", dueln = "PT1H" } } }, "actions[0].dueln");
        await Refused(new { name = "r", trigger = new { type = "dealWon", stageId = 5 }, actions = new[] { Note } }, "trigger.stageId");
        await Refused(new { name = "r", trigger = new { type = "dealWon" }, conditions = new object[] { new { field = "amount", op = "gt", value = 5, values = 6 } }, actions = new[] { Note } }, "conditions[0].values");
        // A number field against a word compared as text ("abc" > "1000" held for every amount): refused, as are a stage or a
        // pipeline that does not exist and an order or `contains` on an id.
        Assert.Contains("amount is compared with a number", await Refused(new { name = "r", trigger = new { type = "dealWon" }, conditions = new object[] { new { field = "amount", op = "gt", value = "abc" } }, actions = new[] { Note } }, "conditions[0].value"));
        await Refused(new { name = "r", trigger = new { type = "dealWon" }, conditions = new object[] { new { field = "amount", op = "contains", value = 5 } }, actions = new[] { Note } }, "conditions[0].op");
        await Refused(new { name = "r", trigger = new { type = "dealWon" }, conditions = new object[] { new { field = "stageId", op = "eq", value = 99999 } }, actions = new[] { Note } }, "conditions[0].value");
        await Refused(new { name = "r", trigger = new { type = "dealWon" }, conditions = new object[] { new { field = "pipelineId", op = "eq", value = "first" } }, actions = new[] { Note } }, "conditions[0].value");
        await Refused(new { name = "r", trigger = new { type = "dealWon" }, conditions = new object[] { new { field = "pipelineId", op = "gt", value = 1 } }, actions = new[] { Note } }, "conditions[0].op");
        await Refused(new { name = "r", trigger = new { type = "dealWon" }, conditions = new object[] { new { field = "amount", op = "gt", value = 1e300 } }, actions = new[] { Note } }, "conditions[0].value");
        // A decimal comma ("1,5" on a Russian keyboard) is not a group separator: refused rather than read as 15.
        await Refused(new { name = "r", trigger = new { type = "dealWon" }, conditions = new object[] { new { field = "amount", op = "gt", value = "1,5" } }, actions = new[] { Note } }, "conditions[0].value");
        await Refused(new { name = "r", trigger = new { type = "dealWon" }, conditions = new object[] { new { field = "amount", op = "gt", value = "5-" } }, actions = new[] { Note } }, "conditions[0].value");
        // A NUL is refused by field before PostgreSQL would refuse it in the stored JSON.
        await Refused(new { name = "r\u0000", trigger = new { type = "dealWon" }, actions = new[] { Note } }, "name");
        await Refused(new { name = "r", trigger = new { type = "dealWon" }, actions = new object[] { new { type = "notify", to = "owner", text = "a\u0000b" } } }, "actions[0].text");
        Assert.Empty(await (await admin.GetAsync("/api/automation/rules")).OkArrayAsync());
    }

    [Fact]
    public async Task A_rule_as_get_answers_it_can_be_sent_back_whole_and_its_read_only_members_change_nothing()
    {
        using var admin = fixture.Admin();
        var created = await (await admin.PostAsJsonAsync("/api/automation/rules", new { name = "Round trip", trigger = new { type = "dealWon" }, actions = new[] { Note } }))
            .OkJsonAsync(HttpStatusCode.Created);
        var id = created["id"]!.GetValue<long>();
        var read = (await (await admin.GetAsync("/api/automation/rules")).OkArrayAsync()).Single(r => r!["id"]!.GetValue<long>() == id)!.AsObject();
        read["name"] = "Round trip, renamed";
        read["id"] = 999_999; // read-only: the route's id is the rule's
        read["createdAt"] = "2000-01-01T00:00:00Z";

        var saved = await (await admin.PutAsJsonAsync($"/api/automation/rules/{id}", read)).OkJsonAsync();

        Assert.Equal(id, saved["id"]!.GetValue<long>());
        Assert.Equal("Round trip, renamed", saved["name"]!.GetValue<string>());
        Assert.Equal(created["createdAt"]!.GetValue<string>(), saved["createdAt"]!.GetValue<string>());

        // A number written as text ("1000.50", as a form sends it) is kept as the number.
        var proposal = await fixture.StageIdAsync("Proposal");
        var numbers = await (await admin.PostAsJsonAsync("/api/automation/rules", new
        {
            name = "Numbers", trigger = new { type = "dealWon" }, actions = new[] { Note },
            conditions = new object[] { new { field = "amount", op = "gte", value = "1000.50" }, new { field = "stageId", op = "ne", value = proposal.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
        })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal(1000.50m, numbers["conditions"]![0]!["value"]!.GetValue<decimal>());
        Assert.Equal(proposal, numbers["conditions"]![1]!["value"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_stage_or_pipeline_a_rule_condition_names_is_not_removed_from_under_it()
    {
        // A condition must name an existing stage or pipeline, so removing one that a condition names would leave a rule
        // that GET answers and PUT refuses ("There is no stage N."): the removal is refused as for triggers and actions.
        using var admin = fixture.Admin();
        var created = await (await admin.PostJsonAsync("/api/pipelines", new
        {
            name = "Conditions",
            stages = new object[] { new { name = "A", semantic = "open" }, new { name = "B", semantic = "open" }, new { name = "W", semantic = "won" }, new { name = "L", semantic = "lost" } },
        })).OkJsonAsync(HttpStatusCode.Created);
        var pipelineId = created.Id();
        var stages = created["stages"]!.AsArray();
        var rule = await (await admin.PostAsJsonAsync("/api/automation/rules", new
        {
            name = "Only in B", trigger = new { type = "dealWon" }, actions = new[] { Note },
            conditions = new object[] { new { field = "stageId", op = "ne", value = stages[1]!.Id() } },
        })).OkJsonAsync(HttpStatusCode.Created);

        var refused = await (await admin.PutAsJsonAsync($"/api/pipelines/{pipelineId}", new
        {
            stages = new object[] { new { id = stages[0]!.Id(), name = "A", semantic = "open" }, new { id = stages[2]!.Id(), name = "W", semantic = "won" }, new { id = stages[3]!.Id(), name = "L", semantic = "lost" } },
        })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("Only in B", refused);
        Assert.Contains("Only in B", await (await admin.DeleteAsync($"/api/pipelines/{pipelineId}")).ProblemAsync(HttpStatusCode.Conflict));

        // The rule as GET answers it is still taken back whole.
        var read = (await (await admin.GetAsync("/api/automation/rules")).OkArrayAsync()).Single(r => r!["id"]!.GetValue<long>() == rule.Id())!.AsObject();
        await (await admin.PutAsJsonAsync($"/api/automation/rules/{rule.Id()}", read)).OkJsonAsync();
    }

    [Fact]
    public async Task A_rule_that_would_trigger_itself_through_another_rule_is_refused_with_the_path()
    {
        var qualification = await fixture.StageIdAsync("Qualification");
        var proposal = await fixture.StageIdAsync("Proposal");
        var a = await fixture.RuleAsync(new { name = "A", trigger = new { type = "stageEntered", stageId = qualification }, actions = new object[] { new { type = "moveStage", stageId = proposal } } });
        using var admin = fixture.Admin();

        var response = await admin.PostAsJsonAsync("/api/automation/rules",
            new { name = "B", trigger = new { type = "stageEntered", stageId = proposal }, actions = new object[] { new { type = "moveStage", stageId = qualification } } });
        var detail = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'B' -> 'A' -> 'B'", detail);

        // A tunnel into a pipeline whose dealCreated rule tunnels back is a loop too; a disabled rule is no edge.
        var self = await admin.PostAsJsonAsync("/api/automation/rules",
            new { name = "Self", trigger = new { type = "dealCreated", pipelineId = 1 }, actions = new object[] { new { type = "createDeal", pipelineId = 1, stageId = qualification } } });
        Assert.Contains("'Self' -> 'Self'", await self.ProblemAsync(HttpStatusCode.BadRequest));
        await (await admin.PostAsJsonAsync("/api/automation/rules",
            new { name = "B off", enabled = false, trigger = new { type = "stageEntered", stageId = proposal }, actions = new object[] { new { type = "moveStage", stageId = qualification } } }))
            .OkJsonAsync(HttpStatusCode.Created);

        // Editing A into a harmless rule is fine; deleting works; all of it is admin-only.
        await (await admin.PutAsJsonAsync($"/api/automation/rules/{a}", new { name = "A2", trigger = new { type = "dealWon" }, actions = new[] { Note } })).OkJsonAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/automation/rules/{a}")).StatusCode);
        await (await admin.DeleteAsync($"/api/automation/rules/{a}")).ProblemAsync(HttpStatusCode.NotFound);
        var manager = await fixture.CreateUserAsync("rm", "manager");
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.App.Http(manager.Token).GetAsync("/api/automation/rules")).StatusCode);
    }
}
