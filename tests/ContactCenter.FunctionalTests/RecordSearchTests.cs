using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// The header's search finds CRM records besides messages (issue #17): `GET /api/search/records` — deals and leads by
/// title, contacts and companies by name, email or phone — each only as far as the caller may see them.
/// </summary>
public sealed class RecordSearchTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static long[] Ids(JsonNode records, string kind) => records[kind]!.AsArray().Select(i => i!["id"]!.GetValue<long>()).ToArray();

    [Fact]
    public async Task A_manager_finds_their_deals_leads_contacts_and_companies_and_never_a_colleagues()
    {
        var channel = await fixture.CreateApiChannelAsync(name: "Records");
        var mine = await fixture.CreateUserAsync("finder", "manager", channel.Id);
        var colleague = await fixture.CreateUserAsync("keeper", "manager");
        using var admin = fixture.App.Http(fixture.AdminToken);
        using var http = fixture.App.Http(mine.Token);
        using var theirs = fixture.App.Http(colleague.Token);

        // A customer who wrote in the manager's channel (a lead opened by the pipeline), and records made by each manager.
        var conversation = (await fixture.IngestAsync(channel, "rs-1", "rs-cust", "Нужна поставка", "Фёдор Поставкин"))["conversationId"]!.GetValue<long>();
        await using var db = fixture.Db();
        var (contact, lead) = await db.QuerySingleAsync<(long, long)>("select contact_id, lead_id from conversations where id = @conversation", new { conversation });
        (await admin.PatchAsJsonAsync($"/api/leads/{lead}", new { title = "Поставка бетона" })).EnsureSuccessStatusCode();
        var myDeal = await (await http.PostAsJsonAsync("/api/deals", new { title = "Поставка кирпича", amount = 1200 })).OkJsonAsync(HttpStatusCode.Created);
        var hisDeal = await (await theirs.PostAsJsonAsync("/api/deals", new { title = "Поставка песка", amount = 900 })).OkJsonAsync(HttpStatusCode.Created);
        var company = await (await http.PostAsJsonAsync("/api/companies", new { name = "ООО Поставщик", phone = "+7 495 123-45-67" })).OkJsonAsync(HttpStatusCode.Created);
        var hisCompany = await (await theirs.PostAsJsonAsync("/api/companies", new { name = "ЗАО Поставки" })).OkJsonAsync(HttpStatusCode.Created);

        var found = await (await http.GetAsync("/api/search/records?q=" + Uri.EscapeDataString("ПОСТАВ"))).OkJsonAsync();
        Assert.Equal([myDeal.Id()], Ids(found, "deals"));
        Assert.Equal([lead], Ids(found, "leads"));
        Assert.Equal([contact], Ids(found, "contacts"));
        Assert.Equal([company.Id()], Ids(found, "companies"));
        Assert.Equal("Поставка кирпича", found["deals"]![0]!["title"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(found["deals"]![0]!["stageName"]!.GetValue<string>()));

        var his = await (await theirs.GetAsync("/api/search/records?q=" + Uri.EscapeDataString("постав"))).OkJsonAsync();
        Assert.Equal([hisDeal.Id()], Ids(his, "deals"));
        Assert.Empty(Ids(his, "leads"));
        Assert.Empty(Ids(his, "contacts"));
        Assert.Equal([hisCompany.Id()], Ids(his, "companies"));

        var everything = await (await admin.GetAsync("/api/search/records?q=" + Uri.EscapeDataString("постав") + "&limit=20")).OkJsonAsync();
        Assert.Equal([hisDeal.Id(), myDeal.Id()], Ids(everything, "deals"));
        Assert.Equal([hisCompany.Id(), company.Id()], Ids(everything, "companies"));

        // Phone digits in any format; LIKE's own characters are literal.
        Assert.Equal([company.Id()], Ids(await (await http.GetAsync("/api/search/records?q=123-45")).OkJsonAsync(), "companies"));
        var literal = await (await admin.GetAsync("/api/search/records?q=%25%25")).OkJsonAsync();
        Assert.Empty(Ids(literal, "deals").Concat(Ids(literal, "leads")).Concat(Ids(literal, "contacts")).Concat(Ids(literal, "companies")));
    }

    [Fact]
    public async Task Bad_input_is_a_400_and_one_letter_finds_nothing()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        await (await admin.PostAsJsonAsync("/api/deals", new { title = "A deal" })).OkJsonAsync(HttpStatusCode.Created);

        await (await admin.GetAsync("/api/search/records")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync("/api/search/records?q=%00abc")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync("/api/search/records?q=" + new string('x', 201))).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync("/api/search/records?q=deal&limit=0")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync("/api/search/records?q=deal&limit=21")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty(Ids(await (await admin.GetAsync("/api/search/records?q=a")).OkJsonAsync(), "deals"));
        Assert.Single(Ids(await (await admin.GetAsync("/api/search/records?q=a%20d")).OkJsonAsync(), "deals"));
    }
}
