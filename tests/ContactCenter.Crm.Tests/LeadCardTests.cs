using System.Net;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Crm.Tests;

/// <summary>The lead card (issue #17): configurable statuses and junk reasons, and creating leads and deals from the UI.</summary>
[Collection(CrmCollection.Name)]
public sealed class LeadCardTests(CrmFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetCrmAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Staff_keep_the_lead_statuses_and_a_lead_takes_one()
    {
        using var admin = fixture.Admin();
        var manager = await fixture.CreateUserAsync("cards-s1", "manager");
        using var http = fixture.App.Http(manager.Token);
        var seeded = await (await http.GetAsync("/api/lead-statuses")).OkArrayAsync();
        Assert.Contains(seeded, s => s!["name"]!.GetValue<string>() == "In work" && s["nameRu"]!.GetValue<string>() == "В работе");

        await (await http.PostJsonAsync("/api/lead-statuses", new { name = "Mine" })).ProblemAsync(HttpStatusCode.Forbidden);
        var status = await (await admin.PostJsonAsync("/api/lead-statuses", new { name = "Called back", nameRu = "Перезвонили" })).OkJsonAsync(HttpStatusCode.Created);
        await (await admin.PostJsonAsync("/api/lead-statuses", new { name = "called BACK" })).ProblemAsync(HttpStatusCode.Conflict);
        // One name on a Russian screen is one status: "В работе" (or a Russian name "в РАБОТЕ") beside the seeded "In work",
        // whose Russian name it is, would show two "В работе"; renaming onto it likewise. Another Russian name is fine.
        await (await admin.PostJsonAsync("/api/lead-statuses", new { name = "В работе" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostJsonAsync("/api/lead-statuses", new { name = "Working", nameRu = "в РАБОТЕ" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PatchJsonAsync($"/api/lead-statuses/{status.Id()}", new { nameRu = "В работе" })).ProblemAsync(HttpStatusCode.Conflict);
        var expensive = (await (await admin.GetAsync("/api/loss-reasons")).OkArrayAsync()).Single(r => r!["name"]!.GetValue<string>() == "Too expensive")!.Id();
        await (await admin.PatchJsonAsync($"/api/loss-reasons/{expensive}", new { nameRu = "Дорого" })).OkJsonAsync();
        await (await admin.PostJsonAsync("/api/loss-reasons", new { name = "дорого" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Перезвонили", (await (await admin.PatchJsonAsync($"/api/lead-statuses/{status.Id()}", new { sort = 7 })).OkJsonAsync())["nameRu"]!.GetValue<string>());
        // Two entries that show one Russian name from before the check (stored then) stay editable where that name stays.
        long legacy;
        await using (var db = fixture.Db())
        {
            legacy = await db.ExecuteScalarAsync<long>("insert into junk_reasons (name, name_ru, sort) values ('Spam (old)', 'Спам', 99) returning id");
        }
        await (await admin.PatchJsonAsync($"/api/junk-reasons/{legacy}", new { name = "Spam, old", nameRu = "Спам" })).OkJsonAsync();
        await (await admin.PatchJsonAsync($"/api/junk-reasons/{legacy}", new { nameRu = "Старый спам" })).OkJsonAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/junk-reasons/{legacy}")).StatusCode);
        await (await admin.PostJsonAsync("/api/lead-statuses", new { name = "" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PostJsonAsync("/api/lead-statuses", new { name = 5 })).ProblemAsync(HttpStatusCode.BadRequest);

        var lead = await (await http.PostJsonAsync("/api/leads", new { contact = new { name = "Walk-in", phone = "+14155550111" } })).OkJsonAsync(HttpStatusCode.Created);
        var set = await (await http.PatchJsonAsync($"/api/leads/{lead.Id()}", new { statusId = status.Id() })).OkJsonAsync();
        Assert.Equal(status.Id(), set["statusId"]!.GetValue<long>());
        Assert.Equal("Called back", set["leadStatus"]!["name"]!.GetValue<string>());

        // Archived: gone from the list, refused on a lead (400), and the lead keeps what it had.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/lead-statuses/{status.Id()}")).StatusCode);
        Assert.DoesNotContain(await (await http.GetAsync("/api/lead-statuses")).OkArrayAsync(), s => s!.Id() == status.Id());
        var other = await (await http.PostJsonAsync("/api/leads", new { contact = new { name = "Second" } })).OkJsonAsync(HttpStatusCode.Created);
        await (await http.PatchJsonAsync($"/api/leads/{other.Id()}", new { title = "Renamed", statusId = status.Id() })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http.PatchJsonAsync($"/api/leads/{other.Id()}", new { title = "Renamed", statusId = "x" })).ProblemAsync(HttpStatusCode.BadRequest);
        var unchanged = await (await http.GetAsync($"/api/leads/{other.Id()}")).OkJsonAsync();
        Assert.Equal("Second", unchanged["title"]!.GetValue<string>());
        Assert.Null(unchanged["statusId"]);
        Assert.Equal(status.Id(), (await (await http.GetAsync($"/api/leads/{lead.Id()}")).OkJsonAsync())["statusId"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_catalog_entry_changes_only_the_fields_sent_and_a_bad_body_changes_nothing()
    {
        using var admin = fixture.Admin();
        var reason = await (await admin.PostJsonAsync("/api/junk-reasons", new { name = "Wrong number", nameRu = "Ошиблись номером", sort = 40 })).OkJsonAsync(HttpStatusCode.Created);
        var url = $"/api/junk-reasons/{reason.Id()}";
        async Task<JsonNode> EntryAsync() => (await (await admin.GetAsync("/api/junk-reasons?archived=true")).OkArrayAsync()).Single(r => r!.Id() == reason.Id())!;

        // Only sort sent: the names stay; nameRu sent as null clears it; archived false restores an archived entry.
        var sorted = await (await admin.PatchJsonAsync(url, new { sort = 41 })).OkJsonAsync();
        Assert.Equal(("Wrong number", "Ошиблись номером", 41), (sorted["name"]!.GetValue<string>(), sorted["nameRu"]!.GetValue<string>(), sorted["sort"]!.GetValue<int>()));
        var cleared = await (await admin.PatchJsonAsync(url, new { nameRu = (string?)null })).OkJsonAsync();
        Assert.Null(cleared["nameRu"]);
        Assert.Equal("Wrong number", cleared["name"]!.GetValue<string>());
        Assert.True((await (await admin.PatchJsonAsync(url, new { archived = true })).OkJsonAsync())["archived"]!.GetValue<bool>());
        Assert.False((await (await admin.PatchJsonAsync(url, new { archived = false })).OkJsonAsync())["archived"]!.GetValue<bool>());

        // Each bad body is a 400 that changes nothing: a member the route does not take (named), wrong types, a sort out
        // of range or not whole, a null or empty name, a name with a NUL.
        var unknown = await admin.PatchJsonAsync(url, new { name = "Renamed", colour = "red" });
        await unknown.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Unknown field colour", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var bad in new object[]
                 {
                     new { name = "Renamed", sort = "x" }, new { name = "Renamed", sort = 1.5 }, new { name = "Renamed", sort = 10_001 },
                     new { name = "Renamed", archived = "yes" }, new { name = (string?)null }, new { name = "" }, new { name = "Re\0named" },
                     new { name = "Renamed", nameRu = 7 }, new { name = new { en = "Renamed" } },
                 })
        {
            await (await admin.PatchJsonAsync(url, bad)).ProblemAsync(HttpStatusCode.BadRequest);
        }
        await (await admin.PostJsonAsync("/api/junk-reasons", new { name = "Created", extra = 1 })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PostJsonAsync("/api/junk-reasons", new { name = "Created", archived = true })).ProblemAsync(HttpStatusCode.BadRequest);
        foreach (var raw in new[] { """{"name": "Created", "name": "Twice"}""", """{"Name": "Created", "NAME": "Twice"}""" })
        {
            using var twice = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
            await (await admin.PostAsync("/api/junk-reasons", twice)).ProblemAsync(HttpStatusCode.BadRequest);
        }
        foreach (var bad in new object[] { new { sort = (int?)null }, new { archived = (bool?)null }, new { name = "Line\nbreak" }, new { name = "Bell\u0007" } })
        {
            await (await admin.PatchJsonAsync(url, bad)).ProblemAsync(HttpStatusCode.BadRequest);
        }
        await (await admin.PostJsonAsync("/api/junk-reasons", new { nameRu = "Без имени" })).ProblemAsync(HttpStatusCode.BadRequest);
        var after = await EntryAsync();
        Assert.Equal(("Wrong number", 41, false), (after["name"]!.GetValue<string>(), after["sort"]!.GetValue<int>(), after["archived"]!.GetValue<bool>()));
        Assert.Null(after["nameRu"]);
        Assert.DoesNotContain(await (await admin.GetAsync("/api/junk-reasons?archived=true")).OkArrayAsync(), r => r!["name"]!.GetValue<string>().StartsWith("Created", StringComparison.Ordinal));

        // Names are unique ignoring case in any script (the database's C collation folded only ASCII), and a name is
        // counted in characters as a person counts them: 100 emoji fit.
        await (await admin.PostJsonAsync("/api/junk-reasons", new { name = "Новый клиент" })).OkJsonAsync(HttpStatusCode.Created);
        await (await admin.PostJsonAsync("/api/junk-reasons", new { name = "НОВЫЙ КЛИЕНТ" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostJsonAsync("/api/junk-reasons", new { name = "новый клиент" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PatchJsonAsync(url, new { name = "новый КЛИЕНТ" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostJsonAsync("/api/lead-statuses", new { name = new string('ж', 100) })).OkJsonAsync(HttpStatusCode.Created);
        await (await admin.PostJsonAsync("/api/lead-statuses", new { name = string.Concat(Enumerable.Repeat("🙂", 100)) })).OkJsonAsync(HttpStatusCode.Created);
        await (await admin.PostJsonAsync("/api/lead-statuses", new { name = string.Concat(Enumerable.Repeat("🙂", 101)) })).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_lead_is_junked_with_a_reason_from_the_list()
    {
        using var admin = fixture.Admin();
        var m1 = await fixture.CreateUserAsync("cards-j1", "manager");
        var m2 = await fixture.CreateUserAsync("cards-j2", "manager");
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        var reason = await (await admin.PostJsonAsync("/api/junk-reasons", new { name = "Competitor probing" })).OkJsonAsync(HttpStatusCode.Created);
        var lead = await (await http1.PostJsonAsync("/api/leads", new { contact = new { name = "Probe" } })).OkJsonAsync(HttpStatusCode.Created);

        await (await http1.PostJsonAsync($"/api/leads/{lead.Id()}/junk", new { junkReasonId = 9_999_999 })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http1.PostJsonAsync($"/api/leads/{lead.Id()}/junk", new { })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http2.PostJsonAsync($"/api/leads/{lead.Id()}/junk", new { junkReasonId = reason.Id() })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("new", (await (await http1.GetAsync($"/api/leads/{lead.Id()}")).OkJsonAsync())["status"]!.GetValue<string>());

        var junked = await (await http1.PostJsonAsync($"/api/leads/{lead.Id()}/junk", new { junkReasonId = reason.Id() })).OkJsonAsync();
        Assert.Equal("junk", junked["status"]!.GetValue<string>());
        Assert.Equal(reason.Id(), junked["junkReasonId"]!.GetValue<long>());
        Assert.Equal("Competitor probing", junked["junkReason"]!.GetValue<string>());
        await (await http1.PostJsonAsync($"/api/leads/{lead.Id()}/junk", new { junkReasonId = reason.Id() })).ProblemAsync(HttpStatusCode.Conflict);
        await (await http1.PatchJsonAsync($"/api/junk-reasons/{reason.Id()}", new { name = "x" })).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Leads_and_deals_are_created_with_a_contact_picked_or_typed_in()
    {
        var manager = await fixture.CreateUserAsync("cards-c1", "manager");
        var other = await fixture.CreateUserAsync("cards-c2", "manager");
        using var http = fixture.App.Http(manager.Token);
        using var otherHttp = fixture.App.Http(other.Token);
        var contactsBefore = await CountAsync("select count(*) from contacts");

        var lead = await (await http.PostJsonAsync("/api/leads", new { title = "Cold call", contact = new { name = "Ann Buyer", email = "ann@example.com" } }))
            .OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal(manager.Id, lead["assignee"]!.Id());
        var contactId = lead["contact"]!.Id();
        var deal = await (await http.PostJsonAsync("/api/deals", new { title = "Second sale", contact = new { id = contactId }, amount = 120 }))
            .OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal(contactId, deal["contact"]!.Id());
        Assert.Equal(contactsBefore + 1, await CountAsync("select count(*) from contacts"));

        // Bad details or someone else's contact: a clear answer, and no contact, lead or deal is written.
        await (await http.PostJsonAsync("/api/deals", new { title = "Bad", contact = new { name = "X", email = "not an email" } })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http.PostJsonAsync("/api/leads", new { contact = new { name = "X", phone = "12" } })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http.PostJsonAsync("/api/leads", new { contact = new { } })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await otherHttp.PostJsonAsync("/api/deals", new { title = "Steal", contact = new { id = contactId } })).ProblemAsync(HttpStatusCode.NotFound);
        await (await otherHttp.PostJsonAsync("/api/leads", new { contact = new { id = contactId } })).ProblemAsync(HttpStatusCode.NotFound);
        await (await http.PostJsonAsync("/api/deals", new { title = "Bad stage", contact = new { name = "Y" }, stageId = 9_999_999 })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(contactsBefore + 1, await CountAsync("select count(*) from contacts"));
        Assert.Equal(1, await CountAsync("select count(*) from leads"));
        Assert.Equal(1, await CountAsync("select count(*) from deals"));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long>(sql);
    }
}
