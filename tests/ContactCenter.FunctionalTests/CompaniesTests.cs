using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>Companies (issue #17): several contacts and deals on one; a manager sees a company through them or by having made it.</summary>
public sealed class CompaniesTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<long> ContactOfAsync(AppFixture.ApiChannel channel, string key)
    {
        var conversation = (await fixture.IngestAsync(channel, "m-" + key, key, "hi", key))["conversationId"]!.GetValue<long>();
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long>("select contact_id from conversations where id = @conversation", new { conversation });
    }

    [Fact]
    public async Task A_company_gathers_its_contacts_and_deals_and_a_manager_sees_it_only_through_what_they_see()
    {
        var channelA = await fixture.CreateApiChannelAsync(name: "A");
        var channelB = await fixture.CreateApiChannelAsync(name: "B");
        var onA = await ContactOfAsync(channelA, "alice");
        var onB = await ContactOfAsync(channelB, "bert");
        var member = await fixture.CreateUserAsync("member-a", "manager", channelA.Id);
        var stranger = await fixture.CreateUserAsync("stranger", "manager");
        using var admin = fixture.App.Http(fixture.AdminToken);
        using var http = fixture.App.Http(member.Token);
        using var outsider = fixture.App.Http(stranger.Token);

        var company = (await (await admin.PostAsJsonAsync("/api/companies", new { name = "Acme Ltd", phone = "+44 20 7946 0958", website = "https://acme.example" }))
            .OkJsonAsync(HttpStatusCode.Created)).Id();
        (await admin.PatchAsJsonAsync($"/api/contacts/{onA}", new { companyId = company })).EnsureSuccessStatusCode();
        (await admin.PatchAsJsonAsync($"/api/contacts/{onB}", new { companyId = company })).EnsureSuccessStatusCode();
        var deal = (await (await admin.PostAsJsonAsync("/api/deals", new { title = "Acme order", amount = 500, contactId = onB })).OkJsonAsync(HttpStatusCode.Created)).Id();
        var patched = await (await admin.PatchAsJsonAsync($"/api/deals/{deal}", new { companyId = company })).OkJsonAsync();
        Assert.Equal(company, patched["companyId"]!.GetValue<long>());
        Assert.Equal("Acme Ltd", patched["companyName"]!.GetValue<string>());
        Assert.Equal("Acme Ltd", (await (await admin.GetAsync($"/api/deals/{deal}")).OkJsonAsync())["companyName"]!.GetValue<string>());

        var full = await (await admin.GetAsync($"/api/companies/{company}")).OkJsonAsync();
        Assert.Equal("+442079460958", full["phone"]!.GetValue<string>());
        Assert.Equal(new[] { onA, onB }.Order(), full["contacts"]!.AsArray().Select(c => c!.Id()).Order());
        Assert.Equal([deal], full["deals"]!.AsArray().Select(d => d!.Id()));

        // The member of A sees the company through Alice, not Bert nor his deal; the outsider does not see it at all.
        var seen = await (await http.GetAsync($"/api/companies/{company}")).OkJsonAsync();
        Assert.Equal([onA], seen["contacts"]!.AsArray().Select(c => c!.Id()));
        Assert.Empty(seen["deals"]!.AsArray());
        Assert.Equal([company], (await (await http.GetAsync("/api/companies?q=acme")).OkJsonAsync())["items"]!.AsArray().Select(c => c!.Id()));
        Assert.Equal(company, (await (await http.GetAsync($"/api/contacts/{onA}")).OkJsonAsync())["companyId"]!.GetValue<long>());
        await (await outsider.GetAsync($"/api/companies/{company}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.PatchAsJsonAsync($"/api/companies/{company}", new { name = "Mine now" })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await outsider.GetAsync("/api/companies")).OkJsonAsync())["items"]!.AsArray());
        // Nor can the outsider link their own contact to it (that would reveal it).
        var own = (await (await outsider.PostAsJsonAsync("/api/contacts", new { name = "Own" })).OkJsonAsync(HttpStatusCode.Created)).Id();
        await (await outsider.PatchAsJsonAsync($"/api/contacts/{own}", new { companyId = company })).ProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.PatchAsJsonAsync($"/api/contacts/{own}", new { companyId = company + 1000 })).ProblemAsync(HttpStatusCode.NotFound); // alike
        await using var db = fixture.Db();
        Assert.Equal("Acme Ltd", await db.ExecuteScalarAsync<string>("select name from companies where id = @company", new { company }));
        Assert.Null(await db.ExecuteScalarAsync<long?>("select company_id from contacts where id = @own", new { own }));

        // The member edits it; clearing a contact's company with null.
        var edited = await (await http.PatchAsJsonAsync($"/api/companies/{company}", new { address = "1 Main St", website = "" })).OkJsonAsync();
        Assert.Equal("1 Main St", edited["address"]!.GetValue<string>());
        Assert.Null(edited["website"]);
        (await admin.PatchAsync($"/api/contacts/{onA}", Json("""{"companyId":null}"""))).EnsureSuccessStatusCode();
        Assert.Null(await db.ExecuteScalarAsync<long?>("select company_id from contacts where id = @onA", new { onA }));
    }

    [Fact]
    public async Task A_company_made_by_a_manager_is_theirs()
    {
        var maker = await fixture.CreateUserAsync("maker", "manager");
        var other = await fixture.CreateUserAsync("other", "manager");
        using var http = fixture.App.Http(maker.Token);
        using var stranger = fixture.App.Http(other.Token);

        var id = (await (await http.PostAsJsonAsync("/api/companies", new { name = "Mine Inc" })).OkJsonAsync(HttpStatusCode.Created)).Id();

        await (await http.GetAsync($"/api/companies/{id}")).OkJsonAsync();
        await (await stranger.GetAsync($"/api/companies/{id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{}""", "name")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":5}""", "name")]
    [InlineData("""{"name":"X","email":"bad"}""", "email")]
    [InlineData("""{"name":"X","phone":"123"}""", "phone")]
    [InlineData("""{"name":"X","colour":"red"}""", "colour")]
    [InlineData("""{"name":"X","website":"javascript:alert(1)"}""", "website")] // a link made of it would run script
    [InlineData("""{"name":"X","website":"data:text/html,<b>x</b>"}""", "website")]
    public async Task Bad_company_input_is_a_400_and_writes_nothing(string body, string field)
    {
        using var admin = fixture.App.Http(fixture.AdminToken);

        var response = await admin.PostAsync("/api/companies", Json(body));

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![field]);
        Assert.Equal(0, await fixture.CountAsync("companies"));
    }

    [Theory]
    [InlineData("""{"companyId":"1"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"companyId":999999}""", HttpStatusCode.NotFound)]
    [InlineData("""{"companyId":0}""", HttpStatusCode.BadRequest)]
    public async Task A_deal_refuses_a_bad_companyId_and_changes_nothing(string body, HttpStatusCode expected)
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var deal = (await (await admin.PostAsJsonAsync("/api/deals", new { title = "Order" })).OkJsonAsync(HttpStatusCode.Created)).Id();

        var response = await admin.PatchAsync($"/api/deals/{deal}", Json(body.Replace("}", ""","title":"Renamed"}""", StringComparison.Ordinal)));

        await response.ProblemAsync(expected);
        await using var db = fixture.Db();
        Assert.Equal(("Order", (long?)null), await db.QuerySingleAsync<(string, long?)>("select title, company_id from deals where id = @deal", new { deal }));
    }

    private static async Task<string> BadRequestAsync(HttpResponseMessage response)
    {
        await response.ProblemAsync(HttpStatusCode.BadRequest);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Companies_hold_custom_fields_checked_like_contacts_and_only_their_viewers_edit_them()
    {
        var maker = await fixture.CreateUserAsync("maker", "manager");
        var other = await fixture.CreateUserAsync("other", "manager");
        using var admin = fixture.App.Http(fixture.AdminToken);
        using var http = fixture.App.Http(maker.Token);
        using var outsider = fixture.App.Http(other.Token);
        await (await admin.PostAsJsonAsync("/api/custom-fields", new { entity = "company", key = "tier", label = "Tier", type = "list", options = new[] { "gold", "silver" } }))
            .OkJsonAsync(HttpStatusCode.Created);
        await (await admin.PostAsJsonAsync("/api/custom-fields", new { entity = "company", key = "staff", label = "Staff", type = "number" }))
            .OkJsonAsync(HttpStatusCode.Created);

        var created = await (await http.PostAsJsonAsync("/api/companies", new { name = "Acme", fields = new { tier = "gold" } })).OkJsonAsync(HttpStatusCode.Created);
        var company = created.Id();
        Assert.Equal("gold", created["fields"]!["tier"]!.GetValue<string>());
        // A bad value on create or edit is a 400 naming the field, and nothing is written.
        Assert.Contains("fields.tier", await BadRequestAsync(await http.PostAsJsonAsync("/api/companies", new { name = "Bad", fields = new { tier = "bronze" } })));
        Assert.Equal(1, await fixture.CountAsync("companies"));
        Assert.Contains("fields.staff", await BadRequestAsync(await http.PatchAsJsonAsync($"/api/companies/{company}", new { name = "Renamed", fields = new { staff = "many" } })));
        Assert.Contains("fields.nope", await BadRequestAsync(await http.PatchAsJsonAsync($"/api/companies/{company}", new { fields = new { nope = 1 } })));
        await using var db = fixture.Db();
        Assert.Equal(("Acme", """{"tier": "gold"}"""), await db.QuerySingleAsync<(string, string)>("select name, fields::text from companies where id = @company", new { company }));

        var edited = await (await http.PatchAsJsonAsync($"/api/companies/{company}", new { fields = new { staff = 12 } })).OkJsonAsync();
        Assert.Equal((12m, "gold"), (edited["fields"]!["staff"]!.GetValue<decimal>(), edited["fields"]!["tier"]!.GetValue<string>()));
        var cleared = await (await http.PatchAsync($"/api/companies/{company}", Json("""{"fields":{"tier":null}}"""))).OkJsonAsync();
        Assert.Null(cleared["fields"]!["tier"]);
        Assert.Equal(12m, (await (await http.GetAsync($"/api/companies/{company}")).OkJsonAsync())["fields"]!["staff"]!.GetValue<decimal>());

        // A second manager cannot see the company, so cannot write its fields either.
        await (await outsider.PatchAsJsonAsync($"/api/companies/{company}", new { fields = new { staff = 99 } })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("""{"staff": 12}""", await db.ExecuteScalarAsync<string>("select fields::text from companies where id = @company", new { company }));
    }

    [Fact]
    public async Task A_deal_is_created_with_a_company_the_caller_sees_and_never_with_one_they_do_not()
    {
        var maker = await fixture.CreateUserAsync("maker", "manager");
        var other = await fixture.CreateUserAsync("other", "manager");
        using var http = fixture.App.Http(maker.Token);
        using var outsider = fixture.App.Http(other.Token);
        var company = (await (await http.PostAsJsonAsync("/api/companies", new { name = "Acme" })).OkJsonAsync(HttpStatusCode.Created)).Id();

        var deal = await (await http.PostAsJsonAsync("/api/deals", new { title = "Acme order", companyId = company })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal(company, deal["companyId"]!.GetValue<long>());
        await using var db = fixture.Db();
        Assert.Equal(company, await db.ExecuteScalarAsync<long?>("select company_id from deals where id = @id", new { id = deal.Id() }));
        Assert.Equal([deal.Id()], (await (await http.GetAsync($"/api/companies/{company}")).OkJsonAsync())["deals"]!.AsArray().Select(d => d!.Id()));

        // The second manager cannot see Acme: the same 404 as a company that does not exist, and no deal is made.
        await (await outsider.PostAsJsonAsync("/api/deals", new { title = "Sneaky", companyId = company })).ProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.PostAsJsonAsync("/api/deals", new { title = "Missing", companyId = company + 1000 })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("companyId", await BadRequestAsync(await http.PostAsJsonAsync("/api/deals", new { title = "Zero", companyId = 0 })));
        Assert.Equal(1, await fixture.CountAsync("deals"));
    }
}
