using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Crm.Tests;

/// <summary>The list views of deals and leads (issue #17): filters, sort, keyset pages, CSV, bulk changes; visibility as the board.</summary>
[Collection(CrmCollection.Name)]
public sealed partial class ListViewTests(CrmFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await fixture.ResetCrmAsync();
        await using var db = fixture.Db();
        await db.ExecuteAsync("truncate table custom_fields restart identity");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static IEnumerable<string> Titles(JsonObject page) => page["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>());

    private async Task<(HttpClient Admin, HttpClient M1, HttpClient M2, long M1Id, long M2Id)> PeopleAsync()
    {
        var m1 = await fixture.CreateUserAsync("lv-m1", "manager");
        var m2 = await fixture.CreateUserAsync("lv-m2", "manager");
        return (fixture.Admin(), fixture.App.Http(m1.Token), fixture.App.Http(m2.Token), m1.Id, m2.Id);
    }

    [Fact]
    public async Task A_managers_pages_are_the_visible_matches_in_order_across_sorts_filters_and_cursors()
    {
        var (admin, m1, m2, m1Id, m2Id) = await PeopleAsync();
        using var _a = admin; using var _1 = m1; using var _2 = m2;
        // 6,000 deals: every third is M1's, the rest M2's. M2's 2,000 "rare" deals have the highest amounts and M1's 4 rare
        // ones low amounts: the case where walking the sort index would read thousands of colleagues' deals before M1's
        // (a manager's page is read from their visible set instead, ListSql.Build). Amounts repeat: ties go by id.
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("""
                with ct as (insert into contacts (name) values ('Window contact') returning id),
                     pipeline as (select p.id, (select s.id from stages s where s.pipeline_id = p.id order by s.sort limit 1) as stage from pipelines p where p.is_default)
                insert into deals (contact_id, pipeline_id, stage_id, title, amount, assignee_id, source)
                select ct.id, pipeline.id, pipeline.stage, 'W' || g, (g * 7919 % 997) + case when g % 3 <> 0 and g % 2 = 0 then 1000 else 0 end,
                       case when g % 3 = 0 then @m1Id else @m2Id end,
                       case when g % 3 <> 0 and g % 2 = 0 then 'rare' when g % 3 = 0 and g % 1500 = 0 then 'rare' else 'common' end
                from ct, pipeline, generate_series(1, 6000) g
                """, new { m1Id, m2Id });
        }
        async Task<List<string>> ExpectedAsync(string where, string order)
        {
            await using var db = fixture.Db();
            return (await db.QueryAsync<string>($"select title from deals where assignee_id = @m1Id and {where} order by {order}", new { m1Id })).ToList();
        }
        async Task<List<string>> AllPagesAsync(string query, HttpClient? who = null)
        {
            var titles = new List<string>();
            string? cursor = null;
            do
            {
                var page = await (await (who ?? m1).GetAsync($"/api/deals?{query}&limit=200{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}")).OkJsonAsync();
                titles.AddRange(Titles(page));
                cursor = page["nextCursor"]?.GetValue<string>();
            }
            while (cursor is not null);
            return titles;
        }

        Assert.Equal(await ExpectedAsync("true", "amount asc, id asc"), await AllPagesAsync("sort=amount"));
        Assert.Equal(await ExpectedAsync("true", "id asc"), await AllPagesAsync("sort=id"));
        // Only colleagues' rare deals lead the amount order.
        var rare = await AllPagesAsync("sort=-amount&source=rare");
        Assert.Equal(4, rare.Count);
        Assert.Equal(await ExpectedAsync("source = 'rare'", "amount desc, id desc"), rare);
        Assert.Equal(await ExpectedAsync("source = 'rare'", "created_at asc, id asc"), await AllPagesAsync("sort=created&source=rare"));
        // A sort no index keeps.
        Assert.Equal(await ExpectedAsync("true", "coalesce(closed_at, 'epoch'::timestamptz) desc, id desc"), await AllPagesAsync("sort=-closed"));
        // The colleague sees only theirs.
        Assert.Equal(4000, (await AllPagesAsync("sort=-updated", m2)).Count);
        Assert.Equal(6000, (await AllPagesAsync("sort=-amount", admin)).Count);
    }

    [Fact]
    public async Task A_managers_lists_hold_the_deals_and_leads_of_the_conversations_they_see_and_no_others()
    {
        var (admin, m1, m2, m1Id, m2Id) = await PeopleAsync();
        using var _a = admin; using var _1 = m1; using var _2 = m2;
        // Nobody's deals and leads, each linked to one conversation: unassigned in M1's channel (M1 sees it), assigned to M1
        // in a channel M1 is not a member of (M1 sees it), assigned to M2 in M1's channel (M1 does not see it).
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("""
                with ch as (insert into channels (kind, name) values ('api', 'Lists A'), ('api', 'Lists B') returning id, name),
                     member as (insert into channel_members (channel_id, user_id) select id, @m1Id from ch where name = 'Lists A'),
                     ct as (insert into contacts (name) values ('List contact') returning id),
                     pipeline as (select p.id, (select s.id from stages s where s.pipeline_id = p.id order by s.sort limit 1) as stage from pipelines p where p.is_default),
                     d as (insert into deals (contact_id, pipeline_id, stage_id, title, amount)
                           select ct.id, pipeline.id, pipeline.stage, t, 1 from ct, pipeline, unnest(array['Seen unassigned', 'Seen mine', 'Colleague''s']) t returning id, title),
                     l as (insert into leads (contact_id, title, status) select ct.id, t, 'new' from ct, unnest(array['Seen unassigned', 'Seen mine', 'Colleague''s']) t returning id, title)
                insert into conversations (channel_id, contact_id, thread_key, assignee_id, deal_id, lead_id)
                select case when d.title = 'Seen mine' then (select id from ch where name = 'Lists B') else (select id from ch where name = 'Lists A') end,
                       (select id from ct), d.title,
                       case d.title when 'Seen mine' then @m1Id when 'Colleague''s' then @m2Id end, d.id, l.id
                from d join l on l.title = d.title
                """, new { m1Id, m2Id });
        }

        Assert.Equal(["Seen mine", "Seen unassigned"], Titles(await (await m1.GetAsync("/api/deals")).OkJsonAsync()).Order());
        Assert.Equal(["Seen mine", "Seen unassigned"], Titles(await (await m1.GetAsync("/api/leads")).OkJsonAsync()).Order());
        Assert.Equal(["Colleague's"], Titles(await (await m2.GetAsync("/api/deals")).OkJsonAsync()));
        Assert.Equal(["Colleague's"], Titles(await (await m2.GetAsync("/api/leads")).OkJsonAsync()));
        Assert.Equal(3, (await (await admin.GetAsync("/api/deals")).OkJsonAsync())["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Deals_filter_sort_and_page_and_a_second_manager_sees_only_their_own()
    {
        var (admin, m1, m2, m1Id, _) = await PeopleAsync();
        using var _a = admin; using var _1 = m1; using var _2 = m2;
        await (await admin.PostJsonAsync("/api/custom-fields", new { entity = "deal", key = "tier", label = "Tier", type = "list", options = new[] { "gold", "silver" } }))
            .OkJsonAsync(HttpStatusCode.Created);
        var amounts = new[] { 100m, 700m, 300m, 900m, 500m };
        var ids = new List<long>();
        foreach (var (amount, i) in amounts.Select((a, i) => (a, i)))
        {
            var deal = await (await m1.PostJsonAsync("/api/deals", new { title = $"M1 deal {amount}", amount, source = i % 2 == 0 ? "web" : "call", fields = new { tier = i < 3 ? "gold" : "silver" } }))
                .OkJsonAsync(HttpStatusCode.Created);
            ids.Add(deal.Id());
        }
        await (await m2.PostJsonAsync("/api/deals", new { title = "M2 secret deal", amount = 800, fields = new { tier = "gold" } })).OkJsonAsync(HttpStatusCode.Created);

        // Sorted by amount ascending, two per page, the cursor walks every row once.
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await m1.GetAsync($"/api/deals?sort=amount&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}")).OkJsonAsync();
            seen.AddRange(Titles(page));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        Assert.Equal(amounts.Order().Select(a => $"M1 deal {a}"), seen);
        Assert.Equal(["M1 deal 900", "M1 deal 700"], Titles(await (await m1.GetAsync("/api/deals?sort=amount:desc&limit=2")).OkJsonAsync()));

        Assert.Equal(["M1 deal 700", "M1 deal 300"], Titles(await (await m1.GetAsync("/api/deals?minAmount=300&maxAmount=700&field.tier=gold&sort=-amount")).OkJsonAsync()));
        Assert.Equal(["M1 deal 500", "M1 deal 300", "M1 deal 100"], Titles(await (await m1.GetAsync("/api/deals?source=web&sort=-amount")).OkJsonAsync()));
        Assert.Equal(5, (await (await m1.GetAsync($"/api/deals?assigneeId={m1Id}")).OkJsonAsync())["items"]!.AsArray().Count);
        var today = fixture.Time.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture); // the app's (standing) clock stamped them
        Assert.Equal(5, (await (await m1.GetAsync($"/api/deals?createdFrom={today}&createdTo={today}")).OkJsonAsync())["items"]!.AsArray().Count);
        Assert.Empty((await (await m1.GetAsync("/api/deals?createdTo=2001-01-01")).OkJsonAsync())["items"]!.AsArray());
        Assert.Empty((await (await m1.GetAsync("/api/deals?overdue=true")).OkJsonAsync())["items"]!.AsArray());

        // The other manager's gold deal is not in the first manager's list, nor the reverse; staff see all.
        Assert.DoesNotContain("M2 secret deal", Titles(await (await m1.GetAsync("/api/deals?field.tier=gold")).OkJsonAsync()));
        Assert.Equal(["M2 secret deal"], Titles(await (await m2.GetAsync("/api/deals?field.tier=gold")).OkJsonAsync()));
        Assert.Equal(4, (await (await admin.GetAsync("/api/deals?field.tier=gold")).OkJsonAsync())["items"]!.AsArray().Count);
        var csv = await (await m2.GetAsync("/api/deals?format=csv")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("M1 deal", csv);
        Assert.Contains("M2 secret deal", csv);

        // An option the admin removes stays on the deals that had it; the list still finds them, to clean up (it was a 400
        // naming only today's options), and a value nobody has finds nothing.
        var tier = (await (await admin.GetAsync("/api/custom-fields?entity=deal")).OkArrayAsync()).Single(f => f!["key"]!.GetValue<string>() == "tier")!;
        (await admin.PatchJsonAsync($"/api/custom-fields/{tier.Id()}", new { options = new[] { "silver", "bronze" } })).EnsureSuccessStatusCode();
        Assert.Equal(4, (await (await admin.GetAsync("/api/deals?field.tier=gold")).OkJsonAsync())["items"]!.AsArray().Count);
        Assert.Empty((await (await admin.GetAsync("/api/deals?field.tier=platinum")).OkJsonAsync())["items"]!.AsArray());

        // An overdue activity puts a deal in the overdue filter.
        await (await m1.PostJsonAsync("/api/activities", new { subject = new { type = "deal", id = ids[0] }, type = "call", title = "Late", dueAt = DateTimeOffset.UtcNow.AddHours(-2) }))
            .OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["M1 deal 100"], Titles(await (await m1.GetAsync("/api/deals?overdue=true")).OkJsonAsync()));
        Assert.Equal(4, (await (await m1.GetAsync("/api/deals?overdue=false")).OkJsonAsync())["items"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("minAmount=lots", "minAmount")]
    [InlineData("sort=price", "sort")]
    [InlineData("sort=amount:sideways", "sort")]
    [InlineData("createdFrom=yesterday", "createdFrom")]
    [InlineData("overdue=maybe", "overdue")]
    [InlineData("field.nosuch=1", "field.nosuch")]
    [InlineData("field.seats=many", "field.seats")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("assigneeId=someone", "assigneeId")]
    [InlineData("stageId=x", "stageId")]
    [InlineData("format=xml", "format")]
    [InlineData("createdTo=9999-12-31", "createdTo")]
    [InlineData("closedTo=9999-12-31T23:59:59.9999999Z", "closedTo")]
    public async Task A_bad_filter_is_a_400_naming_it(string query, string field)
    {
        using var admin = fixture.Admin();
        await (await admin.PostJsonAsync("/api/custom-fields", new { entity = "deal", key = "seats", label = "Seats", type = "number" })).OkJsonAsync(HttpStatusCode.Created);
        await (await admin.PostJsonAsync("/api/custom-fields", new { entity = "deal", key = "tier", label = "Tier", type = "list", options = new[] { "gold" } })).OkJsonAsync(HttpStatusCode.Created);
        var problem = JsonNode.Parse(await (await admin.GetAsync("/api/deals?" + query)).ProblemBodyAsync(HttpStatusCode.BadRequest))!;
        Assert.True(problem["errors"]?[field] is not null, problem.ToJsonString());
        Assert.Contains("field.nosuch", await (await admin.GetAsync("/api/leads?field.nosuch=1")).ProblemBodyAsync(HttpStatusCode.BadRequest));
        Assert.Contains("sort", await (await admin.GetAsync("/api/leads?sort=amount")).ProblemBodyAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Csv_has_every_filtered_row_with_a_bom_russian_text_quoted_separators_and_custom_field_columns()
    {
        using var admin = fixture.Admin();
        await (await admin.PostJsonAsync("/api/custom-fields", new { entity = "deal", key = "city", label = "Город", type = "string" })).OkJsonAsync(HttpStatusCode.Created);
        await (await admin.PostJsonAsync("/api/custom-fields", new { entity = "deal", key = "tags", label = "Tags", type = "multi-list", options = new[] { "vip", "partner" } }))
            .OkJsonAsync(HttpStatusCode.Created);
        await (await admin.PostJsonAsync("/api/deals", new { title = "Сделка; \"Ромашка\", ООО", amount = 1234.5, fields = new { city = "Москва; центр", tags = new[] { "vip", "partner" } } }))
            .OkJsonAsync(HttpStatusCode.Created);
        for (var i = 0; i < 120; i++)
        {
            await (await admin.PostJsonAsync("/api/deals", new { title = $"Bulk {i}", amount = 10 + i, fields = new { city = "Omsk" } })).OkJsonAsync(HttpStatusCode.Created);
        }
        await (await admin.PostJsonAsync("/api/deals", new { title = "Elsewhere", fields = new { city = "Tver" } })).OkJsonAsync(HttpStatusCode.Created);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/deals?minAmount=10&sort=amount&limit=5");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        // Every page's rows (the limit is for JSON pages), none outside the filter.
        Assert.Equal(1 + 121, lines.Length);
        Assert.EndsWith(",Город,Tags", lines[0]);
        Assert.DoesNotContain("Elsewhere", text);
        Assert.Equal("Bulk 0", lines[1].Split(',')[1]);
        var russian = Assert.Single(lines, l => l.Contains("Ромашка"));
        Assert.Contains("\"Сделка; \"\"Ромашка\"\", ООО\",1234.50,USD", russian);
        Assert.EndsWith(",\"Москва; центр\",\"vip, partner\"", russian);

        var same = await (await admin.GetAsync("/api/deals?minAmount=10&sort=amount&format=csv")).Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes, same);
        var filtered = Encoding.UTF8.GetString(await (await admin.GetAsync($"/api/deals?format=csv&field.city={Uri.EscapeDataString("Москва; центр")}")).Content.ReadAsByteArrayAsync());
        Assert.Equal(2, filtered.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Leads_list_filters_by_status_source_and_field_and_exports_csv()
    {
        var (admin, m1, m2, _, _) = await PeopleAsync();
        using var _a = admin; using var _1 = m1; using var _2 = m2;
        await (await admin.PostJsonAsync("/api/custom-fields", new { entity = "lead", key = "hot", label = "Hot", type = "boolean" })).OkJsonAsync(HttpStatusCode.Created);
        await (await m1.PostJsonAsync("/api/leads", new { title = "Hot lead", contact = new { name = "Ivan" }, source = "fair", fields = new { hot = true } })).OkJsonAsync(HttpStatusCode.Created);
        await (await m1.PostJsonAsync("/api/leads", new { title = "Cold lead", contact = new { name = "Olga" }, fields = new { hot = false } })).OkJsonAsync(HttpStatusCode.Created);
        await (await m2.PostJsonAsync("/api/leads", new { title = "Other hot lead", contact = new { name = "Petr" }, fields = new { hot = true } })).OkJsonAsync(HttpStatusCode.Created);

        Assert.Equal(["Hot lead"], Titles(await (await m1.GetAsync("/api/leads?field.hot=true")).OkJsonAsync()));
        Assert.Equal(["Hot lead"], Titles(await (await m1.GetAsync("/api/leads?source=fair")).OkJsonAsync()));
        Assert.Equal(["Cold lead", "Hot lead"], Titles(await (await m1.GetAsync("/api/leads?sort=-created&status=new")).OkJsonAsync()));
        Assert.Equal(["Hot lead", "Cold lead"], Titles(await (await m1.GetAsync("/api/leads?sort=created")).OkJsonAsync()));
        var csv = await (await m1.GetAsync("/api/leads?format=csv&field.hot=true")).Content.ReadAsStringAsync();
        Assert.Contains("Hot lead", csv);
        Assert.DoesNotContain("Other hot lead", csv);
        Assert.EndsWith(",Hot", csv.Split("\r\n")[0]);
    }
}
