using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Crm.Tests;

/// <summary>
/// `POST /api/leads/bulk` (CRM gaps, session 9): a manager assigns, sets the status of and junks their own leads, each lead
/// through the single-lead service (so the card and its timeline show the change); a colleague's lead in the same request is
/// `notFound` and untouched; a bad body is 400 and changes nothing.
/// </summary>
[Collection(CrmCollection.Name)]
public sealed class LeadBulkTests(CrmFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetCrmAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record People(HttpClient Admin, HttpClient M1, HttpClient M2, long M1Id, long M2Id) : IDisposable
    {
        public void Dispose()
        {
            Admin.Dispose();
            M1.Dispose();
            M2.Dispose();
        }
    }

    private async Task<People> PeopleAsync()
    {
        var m1 = await fixture.CreateUserAsync("lb-m1", "manager");
        var m2 = await fixture.CreateUserAsync("lb-m2", "manager");
        return new People(fixture.Admin(), fixture.App.Http(m1.Token), fixture.App.Http(m2.Token), m1.Id, m2.Id);
    }

    private static async Task<List<long>> LeadsAsync(HttpClient http, string prefix, int count)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await (await http.PostJsonAsync("/api/leads", new { title = $"{prefix} {i}", contact = new { name = $"{prefix} contact {i}" } }))
                .OkJsonAsync(HttpStatusCode.Created)).Id());
        }
        return ids;
    }

    /// <summary>Every lead's status, assignee and junk reason, and how many timeline entries it has.</summary>
    private async Task<string> StateAsync()
    {
        await using var db = fixture.Db();
        return string.Join(";", await db.QueryAsync<string>("""
            select l.id || ':' || l.status || ':' || coalesce(l.assignee_id, 0) || ':' || coalesce(l.junk_reason_id, 0) || ':'
                   || (select count(*) from timeline_entries t where t.lead_id = l.id)
            from leads l order by l.id
            """));
    }

    private static void AssertOutcomes(JsonObject answer, IEnumerable<long> changed, long notFound)
    {
        var items = answer["items"]!.AsArray().ToDictionary(i => i!["id"]!.GetValue<long>(), i => i!["outcome"]!.GetValue<string>());
        Assert.Equal(changed.Count(), answer["changed"]!.GetValue<int>());
        Assert.Equal(changed.Append(notFound).Order(), items.Keys.Order());
        Assert.All(changed, id => Assert.Equal("changed", items[id]));
        Assert.Equal("notFound", items[notFound]);
    }

    private static async Task<JsonArray> TimelineAsync(HttpClient http, long lead) =>
        (await (await http.GetAsync($"/api/leads/{lead}/timeline")).OkJsonAsync())["items"]!.AsArray();

    [Fact]
    public async Task A_manager_sets_the_status_of_their_own_leads_and_a_colleagues_lead_is_not_found_and_unchanged()
    {
        using var p = await PeopleAsync();
        var mine = await LeadsAsync(p.M1, "Mine", 2);
        var theirs = (await LeadsAsync(p.M2, "Theirs", 1))[0];
        var theirsBefore = (await (await p.M2.GetAsync($"/api/leads/{theirs}")).OkJsonAsync()).ToJsonString();
        var theirTimeline = (await TimelineAsync(p.M2, theirs)).Count;

        var answer = await (await p.M1.PostJsonAsync("/api/leads/bulk", new { ids = mine.Append(theirs), action = "status", status = "in_work" })).OkJsonAsync();

        AssertOutcomes(answer, mine, theirs);
        foreach (var id in mine)
        {
            Assert.Equal("in_work", (await (await p.M1.GetAsync($"/api/leads/{id}")).OkJsonAsync())["status"]!.GetValue<string>());
            var entry = Assert.Single(await TimelineAsync(p.M1, id), e => e!["type"]!.GetValue<string>() == "updated")!;
            Assert.Equal("in_work", entry["data"]!["changes"]!["status"]!.GetValue<string>());
        }
        Assert.Equal(theirsBefore, (await (await p.M2.GetAsync($"/api/leads/{theirs}")).OkJsonAsync()).ToJsonString());
        Assert.Equal(theirTimeline, (await TimelineAsync(p.M2, theirs)).Count);

        // The same again changes nothing and says so: "unchanged", no second timeline entry, the same updatedAt. The
        // colleague's lead, now in work too, is still "notFound" (being already as asked must not reveal it).
        await (await p.M2.PatchJsonAsync($"/api/leads/{theirs}", new { status = "in_work" })).OkJsonAsync();
        var updatedAt = await Task.WhenAll(mine.Select(async id => (await (await p.M1.GetAsync($"/api/leads/{id}")).OkJsonAsync())["updatedAt"]!.ToJsonString()));
        var again = await (await p.M1.PostJsonAsync("/api/leads/bulk", new { ids = mine.Append(theirs), action = "status", status = "in_work" })).OkJsonAsync();
        Assert.Equal(0, again["changed"]!.GetValue<int>());
        var outcomes = again["items"]!.AsArray().ToDictionary(i => i!["id"]!.GetValue<long>(), i => i!["outcome"]!.GetValue<string>());
        Assert.All(mine, id => Assert.Equal("unchanged", outcomes[id]));
        Assert.Equal("notFound", outcomes[theirs]);
        for (var i = 0; i < mine.Count; i++)
        {
            Assert.Single(await TimelineAsync(p.M1, mine[i]), e => e!["type"]!.GetValue<string>() == "updated");
            Assert.Equal(updatedAt[i], (await (await p.M1.GetAsync($"/api/leads/{mine[i]}")).OkJsonAsync())["updatedAt"]!.ToJsonString());
        }
    }

    [Fact]
    public async Task A_manager_assigns_their_own_leads_and_a_colleagues_lead_is_not_found_and_unchanged()
    {
        using var p = await PeopleAsync();
        var mine = await LeadsAsync(p.M1, "Mine", 2);
        var theirs = (await LeadsAsync(p.M2, "Theirs", 1))[0];
        var theirsBefore = (await (await p.M2.GetAsync($"/api/leads/{theirs}")).OkJsonAsync()).ToJsonString();

        // Handing them to the colleague: the colleague's own lead in the same list is still hidden from the caller.
        var answer = await (await p.M1.PostJsonAsync("/api/leads/bulk", new { ids = mine.Append(theirs), action = "assign", assigneeId = p.M2Id })).OkJsonAsync();

        AssertOutcomes(answer, mine, theirs);
        foreach (var id in mine)
        {
            var lead = await (await p.M2.GetAsync($"/api/leads/{id}")).OkJsonAsync();
            Assert.Equal(p.M2Id, lead["assignee"]!["id"]!.GetValue<long>());
            Assert.Equal("in_work", lead["status"]!.GetValue<string>());
            var entry = Assert.Single(await TimelineAsync(p.Admin, id), e => e!["type"]!.GetValue<string>() == "updated")!;
            Assert.Equal(p.M2Id, entry["data"]!["changes"]!["assigneeId"]!.GetValue<long>());
            Assert.Equal(p.M1Id, entry["actor"]!["id"]!.GetValue<long>());
        }
        Assert.Equal(theirsBefore, (await (await p.M2.GetAsync($"/api/leads/{theirs}")).OkJsonAsync()).ToJsonString());
    }

    [Fact]
    public async Task Unassigning_leads_changes_the_assigned_ones_and_leaves_the_unassigned_ones_unchanged()
    {
        using var p = await PeopleAsync();
        var mine = await LeadsAsync(p.M1, "Mine", 2);

        var first = await (await p.Admin.PostJsonAsync("/api/leads/bulk", new { ids = mine, action = "assign", assigneeId = (long?)null })).OkJsonAsync();
        var again = await (await p.Admin.PostJsonAsync("/api/leads/bulk", new { ids = mine, action = "assign", assigneeId = (long?)null })).OkJsonAsync();

        Assert.Equal(2, first["changed"]!.GetValue<int>());
        Assert.Equal(0, again["changed"]!.GetValue<int>());
        Assert.All(again["items"]!.AsArray(), i => Assert.Equal("unchanged", i!["outcome"]!.GetValue<string>()));
        foreach (var id in mine)
        {
            Assert.Null((await (await p.Admin.GetAsync($"/api/leads/{id}")).OkJsonAsync())["assignee"]);
        }
    }

    [Fact]
    public async Task A_manager_junks_their_own_leads_and_a_colleagues_lead_is_not_found_and_unchanged()
    {
        using var p = await PeopleAsync();
        var reason = (await (await p.Admin.PostJsonAsync("/api/junk-reasons", new { name = "Bulk spam" })).OkJsonAsync(HttpStatusCode.Created)).Id();
        var mine = await LeadsAsync(p.M1, "Mine", 3);
        var theirs = (await LeadsAsync(p.M2, "Theirs", 1))[0];
        var theirsBefore = (await (await p.M2.GetAsync($"/api/leads/{theirs}")).OkJsonAsync()).ToJsonString();

        var answer = await (await p.M1.PostJsonAsync("/api/leads/bulk", new { ids = mine.Append(theirs), action = "junk", junkReasonId = reason })).OkJsonAsync();

        AssertOutcomes(answer, mine, theirs);
        foreach (var id in mine)
        {
            var lead = await (await p.M1.GetAsync($"/api/leads/{id}")).OkJsonAsync();
            Assert.Equal("junk", lead["status"]!.GetValue<string>());
            Assert.Equal(reason, lead["junkReasonId"]!.GetValue<long>());
            Assert.Equal("Bulk spam", lead["junkReason"]!.GetValue<string>());
            var entry = Assert.Single(await TimelineAsync(p.M1, id), e => e!["type"]!.GetValue<string>() == "junked")!;
            Assert.Equal(reason, entry["data"]!["junkReasonId"]!.GetValue<long>());
        }
        Assert.Equal(mine.Order(), (await (await p.M1.GetAsync("/api/leads?status=junk")).OkJsonAsync())["items"]!.AsArray().Select(i => i!.Id()).Order());
        Assert.Equal(theirsBefore, (await (await p.M2.GetAsync($"/api/leads/{theirs}")).OkJsonAsync()).ToJsonString());

        // Junked again, in Russian: each lead's refusal in the caller's language, its status a word too (it read
        // "Не изменены: … (The lead is already junk.)").
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/leads/bulk")
        {
            Content = JsonContent.Create(new { ids = mine.Take(1), action = "junk", junkReasonId = reason }),
        };
        request.Headers.AcceptLanguage.ParseAdd("ru");
        var again = await (await p.M1.SendAsync(request)).OkJsonAsync();
        Assert.Equal("Лид уже в статусе «некачественный».", again["items"]![0]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_bodies_are_400_and_change_nothing()
    {
        using var p = await PeopleAsync();
        var mine = await LeadsAsync(p.M1, "Mine", 2);
        var before = await StateAsync();
        var tooMany = Enumerable.Range(0, 501).Select(i => (long)mine[0] + i).ToArray();

        object[] bodies =
        [
            new { action = "status", status = "in_work" },
            new { ids = Array.Empty<long>(), action = "status", status = "in_work" },
            new { ids = tooMany, action = "status", status = "in_work" },
            new { ids = mine, action = "close", status = "in_work" },
            new { ids = mine, status = "in_work" },
            new { ids = mine, action = "status", status = "converted" },
            new { ids = mine, action = "status", status = "junk" },
            new { ids = mine, action = "status" },
            new { ids = mine, action = "junk" },
            new { ids = mine, action = "junk", junkReasonId = (long?)null },
            new { ids = mine, action = "assign" },
            new { ids = mine, action = "assign", assigneeId = 999_999L },
            new { ids = mine, action = "junk", junkReasonId = 999_999L },
            new { ids = "1,2", action = "status", status = "in_work" },
            new { ids = new object?[] { mine[0], null }, action = "status", status = "in_work" },
            new { ids = new object[] { mine[0], "x" }, action = "status", status = "in_work" },
            new { ids = mine, action = 5, status = "in_work" },
            new { ids = mine, action = "status", status = 5 },
            new { ids = mine, action = "status", status = "in_work", junk = true },
            new { ids = mine, action = "assign", assigneeId = "m2" },
            new { ids = mine, action = "assign", assigneeId = new { id = 1 } },
            new { ids = mine, action = "assign", assigneeId = (long?)null, status = "new" },
            new { ids = mine, action = "status", status = "in_work", junkReasonId = 1 },
            new { ids = new[] { "1", "2" }, action = "status", status = "in_work" },
        ];
        foreach (var body in bodies)
        {
            var response = await p.M1.PostJsonAsync("/api/leads/bulk", body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest,
                $"{System.Text.Json.JsonSerializer.Serialize(body)} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await response.ProblemBodyAsync(HttpStatusCode.BadRequest);
        }
        Assert.Equal(before, await StateAsync());
        foreach (var id in mine)
        {
            Assert.Equal("new", (await (await p.M1.GetAsync($"/api/leads/{id}")).OkJsonAsync())["status"]!.GetValue<string>());
        }
    }
}
