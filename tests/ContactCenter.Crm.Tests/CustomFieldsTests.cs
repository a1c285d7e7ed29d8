using System.Net;
using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Crm.Automation;
using Dapper;

namespace ContactCenter.Crm.Tests;

/// <summary>Custom fields (issue #17): admin definitions, typed values checked at the boundary, automation conditions.</summary>
[Collection(CrmCollection.Name)]
public sealed class CustomFieldsTests(CrmFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await fixture.ResetCrmAsync();
        await using var db = fixture.Db();
        await db.ExecuteAsync("truncate table custom_fields restart identity");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>One field of every type on deals; `tier` is required.</summary>
    internal static async Task DefineAllAsync(HttpClient admin, string entity = "deal")
    {
        object[] fields =
        [
            new { entity, key = "note", label = "Note", type = "string" },
            new { entity, key = "seats", label = "Seats", type = "number" },
            new { entity, key = "budget", label = "Budget", type = "money" },
            new { entity, key = "due", label = "Due date", type = "date" },
            new { entity, key = "tier", label = "Tier", type = "list", options = new[] { "gold", "silver" }, required = true },
            new { entity, key = "tags", label = "Tags", type = "multi-list", options = new[] { "vip", "partner", "новый" } },
            new { entity, key = "signed", label = "Signed", type = "boolean" },
            new { entity, key = "site", label = "Site", type = "url" },
        ];
        foreach (var f in fields)
        {
            await (await admin.PostJsonAsync("/api/custom-fields", f)).OkJsonAsync(HttpStatusCode.Created);
        }
    }

    [Fact]
    public async Task Admins_define_fields_everyone_reads_them_and_bad_definitions_are_refused()
    {
        using var admin = fixture.Admin();
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("cf-m", "manager", channel.Id);
        using var asManager = fixture.App.Http(manager.Token);

        var created = await (await admin.PostJsonAsync("/api/custom-fields",
            new { entity = "deal", key = "tier", label = "Tier", type = "list", options = new[] { "gold", "silver" } })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["gold", "silver"], created["options"]!.AsArray().Select(o => o!.GetValue<string>()));
        await (await asManager.PostJsonAsync("/api/custom-fields", new { entity = "deal", key = "x", label = "X", type = "string" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await asManager.PatchJsonAsync($"/api/custom-fields/{created.Id()}", new { label = "Mine" })).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, (await asManager.DeleteAsync($"/api/custom-fields/{created.Id()}")).StatusCode);
        var read = await (await asManager.GetAsync("/api/custom-fields?entity=deal")).OkArrayAsync();
        Assert.Equal("tier", Assert.Single(read)!["key"]!.GetValue<string>());

        Assert.Contains("key", await (await admin.PostJsonAsync("/api/custom-fields", new { entity = "deal", key = "Bad Key", label = "X", type = "string" })).ProblemBodyAsync(HttpStatusCode.BadRequest));
        Assert.Contains("type", await (await admin.PostJsonAsync("/api/custom-fields", new { entity = "deal", key = "x", label = "X", type = "colour" })).ProblemBodyAsync(HttpStatusCode.BadRequest));
        Assert.Contains("options", await (await admin.PostJsonAsync("/api/custom-fields", new { entity = "deal", key = "x", label = "X", type = "list" })).ProblemBodyAsync(HttpStatusCode.BadRequest));
        Assert.Contains("entity", await (await admin.PostJsonAsync("/api/custom-fields", new { entity = "planet", key = "x", label = "X", type = "string" })).ProblemBodyAsync(HttpStatusCode.BadRequest));
        Assert.Contains("pipelineId", await (await admin.PostJsonAsync("/api/custom-fields", new { entity = "lead", key = "x", label = "X", type = "string", pipelineId = 1 })).ProblemBodyAsync(HttpStatusCode.BadRequest));
        await (await admin.PostJsonAsync("/api/custom-fields", new { entity = "deal", key = "tier", label = "Again", type = "string" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("type", await (await admin.PatchJsonAsync($"/api/custom-fields/{created.Id()}", new { type = "string" })).ProblemBodyAsync(HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/custom-fields/999999")).StatusCode);

        var renamed = await (await admin.PatchJsonAsync($"/api/custom-fields/{created.Id()}", new { label = "Level", options = new[] { "gold", "silver", "bronze" } })).OkJsonAsync();
        Assert.Equal("Level", renamed["label"]!.GetValue<string>());
        Assert.Equal(3, renamed["options"]!.AsArray().Count);
        await using var db = fixture.Db();
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select count(*) from custom_fields"));
    }

    [Fact]
    public async Task Each_type_refuses_a_wrong_value_with_a_400_naming_the_field_and_nothing_is_written()
    {
        using var admin = fixture.Admin();
        await DefineAllAsync(admin);
        var deal = await (await admin.PostJsonAsync("/api/deals", new { title = "Typed", fields = new { tier = "gold", note = " hello ", tags = new[] { "partner", "vip" } } }))
            .OkJsonAsync(HttpStatusCode.Created);
        var id = deal.Id();
        Assert.Equal("hello", deal["fields"]!["note"]!.GetValue<string>());
        Assert.Equal(["vip", "partner"], deal["fields"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        await using var db = fixture.Db();
        var before = await db.ExecuteScalarAsync<string>("select fields::text || updated_at::text from deals where id = @id", new { id });

        (string Key, object Value)[] wrong =
        [
            ("note", 42), ("note", new string('x', 2001)), ("seats", "twelve"), ("budget", -5), ("budget", 1.234m), ("due", "31.12.2026"), ("due", "2026-02-30"),
            ("tier", "platinum"), ("tier", 1), ("tags", "vip"), ("tags", new[] { "vip", "unknown" }), ("signed", "yes"), ("site", "ftp://example.test/x"),
            ("site", "not a url"), ("nosuch", "x"), ("tier", null!),
        ];
        foreach (var (key, value) in wrong)
        {
            var problem = JsonNode.Parse(await (await admin.PatchJsonAsync($"/api/deals/{id}", new { title = "Changed", fields = new Dictionary<string, object?> { [key] = value } }))
                .ProblemBodyAsync(HttpStatusCode.BadRequest))!;
            Assert.True(problem["errors"]?[$"fields.{key}"] is not null, $"{key} = {value}: {problem.ToJsonString()}");
        }
        await (await admin.PatchJsonAsync($"/api/deals/{id}", new { fields = "tier=gold" })).ProblemBodyAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, await db.ExecuteScalarAsync<string>("select fields::text || updated_at::text from deals where id = @id", new { id }));
        Assert.Equal("Typed", await db.ExecuteScalarAsync<string>("select title from deals where id = @id", new { id }));

        // A required field missing on create: 400, no deal.
        var missing = await (await admin.PostJsonAsync("/api/deals", new { title = "No tier" })).ProblemBodyAsync(HttpStatusCode.BadRequest);
        Assert.Contains("fields.tier", missing);
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select count(*) from deals"));

        var patched = await (await admin.PatchJsonAsync($"/api/deals/{id}", new
        {
            fields = new Dictionary<string, object?>
            {
                ["seats"] = 12, ["budget"] = 1500.5m, ["due"] = "2026-12-31", ["signed"] = true, ["site"] = "https://example.test/a", ["note"] = null, ["tier"] = "silver",
            },
        })).OkJsonAsync();
        var fields = patched["fields"]!.AsObject();
        Assert.Equal(12m, fields["seats"]!.GetValue<decimal>());
        Assert.Equal(1500.5m, fields["budget"]!.GetValue<decimal>());
        Assert.Equal("2026-12-31", fields["due"]!.GetValue<string>());
        Assert.True(fields["signed"]!.GetValue<bool>());
        Assert.Equal("silver", fields["tier"]!.GetValue<string>());
        Assert.False(fields.ContainsKey("note"));
        Assert.True(fields.ContainsKey("tags"));
        var timeline = (await (await admin.GetAsync($"/api/deals/{id}/timeline")).OkJsonAsync())["items"]!.AsArray();
        Assert.Equal("silver", timeline[0]!["data"]!["changes"]!["fields"]!["tier"]!.GetValue<string>());
    }

    [Fact]
    public async Task Leads_carry_fields_and_another_manager_can_neither_read_nor_write_them()
    {
        using var admin = fixture.Admin();
        await (await admin.PostJsonAsync("/api/custom-fields", new { entity = "lead", key = "budget", label = "Budget", type = "money", required = true })).OkJsonAsync(HttpStatusCode.Created);
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("cf-l1", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("cf-l2", "manager");
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);

        Assert.Contains("fields.budget", await (await http1.PostJsonAsync("/api/leads", new { contact = new { name = "Anna" } })).ProblemBodyAsync(HttpStatusCode.BadRequest));
        var lead = await (await http1.PostJsonAsync("/api/leads", new { contact = new { name = "Anna" }, fields = new { budget = 900 } })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal(900m, lead["fields"]!["budget"]!.GetValue<decimal>());
        Assert.Contains("fields.budget", await (await http1.PatchJsonAsync($"/api/leads/{lead.Id()}", new { fields = new { budget = "a lot" } })).ProblemBodyAsync(HttpStatusCode.BadRequest));
        var patched = await (await http1.PatchJsonAsync($"/api/leads/{lead.Id()}", new { fields = new { budget = 1200 } })).OkJsonAsync();
        Assert.Equal(1200m, patched["fields"]!["budget"]!.GetValue<decimal>());
        Assert.Equal(1200m, (await (await http1.GetAsync($"/api/leads/{lead.Id()}")).OkJsonAsync())["fields"]!["budget"]!.GetValue<decimal>());

        await (await http2.GetAsync($"/api/leads/{lead.Id()}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await http2.PatchJsonAsync($"/api/leads/{lead.Id()}", new { fields = new { budget = 1 } })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await http2.GetAsync("/api/leads?field.budget=1200")).OkJsonAsync())["items"]!.AsArray());
        Assert.Single((await (await http1.GetAsync("/api/leads?field.budget=1200")).OkJsonAsync())["items"]!.AsArray());
        await using var db = fixture.Db();
        Assert.Equal("{\"budget\": 1200}", await db.ExecuteScalarAsync<string>("select fields::text from leads where id = @id", new { id = lead.Id() }));
    }

    [Fact]
    public async Task Contacts_carry_fields_patched_per_key_and_another_manager_gets_404()
    {
        using var admin = fixture.Admin();
        await DefineAllAsync(admin, "contact");
        var m1 = await fixture.CreateUserAsync("cf-c1", "manager");
        var m2 = await fixture.CreateUserAsync("cf-c2", "manager");
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        var contactId = (await (await http1.PostJsonAsync("/api/leads", new { contact = new { name = "Vera" } })).OkJsonAsync(HttpStatusCode.Created))["contact"]!.Id();

        var first = await (await http1.PatchJsonAsync($"/api/contacts/{contactId}", new { fields = new { tier = "gold", seats = 3 } })).OkJsonAsync();
        Assert.Equal("gold", first["fields"]!["tier"]!.GetValue<string>());
        var second = await (await http1.PatchJsonAsync($"/api/contacts/{contactId}", new { fields = new Dictionary<string, object?> { ["seats"] = null, ["signed"] = true } })).OkJsonAsync();
        Assert.Equal(["signed", "tier"], second["fields"]!.AsObject().Select(p => p.Key).Order());
        Assert.Contains("fields.site", await (await http1.PatchJsonAsync($"/api/contacts/{contactId}", new { name = "Changed", fields = new { site = "javascript:alert(1)" } }))
            .ProblemBodyAsync(HttpStatusCode.BadRequest));
        await (await http2.PatchJsonAsync($"/api/contacts/{contactId}", new { fields = new { tier = "silver" } })).ProblemAsync(HttpStatusCode.NotFound);
        var now = await (await http1.GetAsync($"/api/contacts/{contactId}")).OkJsonAsync();
        Assert.Equal("Vera", now["name"]!.GetValue<string>());
        Assert.Equal("gold", now["fields"]!["tier"]!.GetValue<string>());
    }

    [Fact]
    public async Task Pipeline_fields_belong_to_deals_of_that_pipeline_and_removing_a_field_removes_its_values()
    {
        using var admin = fixture.Admin();
        var other = await (await admin.PostJsonAsync("/api/pipelines", new { name = "Partners" })).OkJsonAsync(HttpStatusCode.Created);
        var field = await (await admin.PostJsonAsync("/api/custom-fields",
            new { entity = "deal", key = "contract", label = "Contract", type = "string", required = true, pipelineId = other.Id() })).OkJsonAsync(HttpStatusCode.Created);
        // Not required (nor allowed) in the default pipeline; required in its own.
        var plain = await (await admin.PostJsonAsync("/api/deals", new { title = "Plain" })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Contains("fields.contract", await (await admin.PatchJsonAsync($"/api/deals/{plain.Id()}", new { fields = new { contract = "C-1" } })).ProblemBodyAsync(HttpStatusCode.BadRequest));
        Assert.Contains("fields.contract", await (await admin.PostJsonAsync("/api/deals", new { title = "Partner", pipelineId = other.Id() })).ProblemBodyAsync(HttpStatusCode.BadRequest));
        var partner = await (await admin.PostJsonAsync("/api/deals", new { title = "Partner", pipelineId = other.Id(), fields = new { contract = "C-7" } })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("C-7", partner["fields"]!["contract"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/custom-fields/{field.Id()}")).StatusCode);
        Assert.Empty((await (await admin.GetAsync($"/api/deals/{partner.Id()}")).OkJsonAsync())["fields"]!.AsObject());
    }

    [Fact]
    public async Task The_field_filter_is_served_by_the_gin_index()
    {
        await using var db = fixture.Db();
        await db.OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        await db.ExecuteAsync("set local enable_seqscan = off", transaction: tx);
        var plan = string.Join("\n", await db.QueryAsync<string>(
            "explain select id from deals d where d.fields @> @filter::jsonb", new { filter = "{\"tier\": \"gold\"}" }, tx));
        Assert.Contains("deals_fields_idx", plan);
    }

    [Fact]
    public void Automation_conditions_test_custom_fields()
    {
        var deal = new SubjectContext { Type = "deal", Id = 1, FieldsJson = """{"tier": "gold", "seats": 12, "tags": ["vip", "partner"], "signed": true}""" };
        JsonArray Conditions(string field, string op, JsonNode value) => [new JsonObject { ["field"] = field, ["op"] = op, ["value"] = value }];
        var e = new JsonObject();
        Assert.True(deal.Matches(Conditions("field.tier", "eq", "gold"), e));
        Assert.False(deal.Matches(Conditions("field.tier", "eq", "silver"), e));
        Assert.True(deal.Matches(Conditions("field.seats", "gte", 10), e));
        Assert.False(deal.Matches(Conditions("field.seats", "gt", 12), e));
        Assert.True(deal.Matches(Conditions("field.tags", "contains", "vip"), e));
        Assert.True(deal.Matches(Conditions("field.signed", "eq", "true"), e));
        Assert.False(deal.Matches(Conditions("field.missing", "eq", "x"), e));
        Assert.True(deal.Matches(Conditions("field.missing", "ne", "x"), e));
    }

    [Fact]
    public async Task A_rule_may_name_a_custom_field_in_its_conditions()
    {
        using var admin = fixture.Admin();
        var rule = await (await admin.PostJsonAsync("/api/automation/rules", new
        {
            name = "Gold deals", trigger = new { type = "dealCreated" },
            conditions = new[] { new { field = "field.tier", op = "eq", value = "gold" } },
            actions = new[] { new { type = "createActivity", activityType = "call", title = "Call gold", dueIn = "PT1H" } },
        })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("field.tier", rule["conditions"]![0]!["field"]!.GetValue<string>());
        Assert.Contains("conditions[0].field", await (await admin.PostJsonAsync("/api/automation/rules", new
        {
            name = "Bad", trigger = new { type = "dealCreated" }, conditions = new[] { new { field = "field.Bad Key", op = "eq", value = "x" } },
            actions = new[] { new { type = "createActivity", activityType = "call", title = "x", dueIn = "PT1H" } },
        })).ProblemBodyAsync(HttpStatusCode.BadRequest));
    }
}
