using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.Crm.Tests;

[Collection(CrmCollection.Name)]
public sealed class ModesTests(CrmFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetCrmAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Classic_mode_turns_a_first_message_into_a_lead_that_converts_into_a_deal_carrying_its_timeline()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("m1", "manager", channel.Id);
        var outsider = await fixture.CreateUserAsync("m9", "manager");
        using var http = fixture.App.Http(manager.Token);
        var log = new EventLog();
        var outsiderLog = new EventLog();
        await using var hub = await fixture.HubAsync(manager.Token, log);
        await using var outsiderHub = await fixture.HubAsync(outsider.Token, outsiderLog);
        var first = await fixture.IngestAsync(channel, "in-1", "cust-1", "Hi, do you sell bikes?", "Anna");
        // The lead the message opened is pushed to the channel's members right away.
        Assert.Equal("Anna (api)", (await log.WaitForAsync("leadUpdated"))["title"]!.GetValue<string>());

        var leads = await (await http.GetAsync("/api/leads?status=new")).OkJsonAsync();
        var lead = Assert.Single(leads["items"]!.AsArray())!;
        Assert.Equal("Anna (api)", lead["title"]!.GetValue<string>());
        Assert.Equal("Anna", lead["contact"]!["name"]!.GetValue<string>());
        var leadId = lead.Id();
        await (await http.PostJsonAsync($"/api/leads/{leadId}/comments", new { text = "Wants a city bike" })).OkJsonAsync(HttpStatusCode.Created);

        var converted = await (await http.PostJsonAsync($"/api/leads/{leadId}/convert", new { title = "City bike for Anna", amount = 750.5m })).OkJsonAsync();
        var dealId = converted.Id("dealId");
        Assert.Equal(first["conversationId"]!.GetValue<long>(), (await fixture.Db().ExecuteScalarAsync<long>("select id from conversations where deal_id = @dealId", new { dealId })));

        var deal = await (await http.GetAsync($"/api/deals/{dealId}")).OkJsonAsync();
        Assert.Equal("City bike for Anna", deal["title"]!.GetValue<string>());
        Assert.Equal(750.5m, deal["amount"]!.GetValue<decimal>());
        Assert.Equal("New", deal["stage"]!["name"]!.GetValue<string>());
        Assert.Equal(leadId, deal.Id("leadId"));
        Assert.Equal(manager.Id, deal["assignee"]!.Id());
        var lead2 = await (await http.GetAsync($"/api/leads/{leadId}")).OkJsonAsync();
        Assert.Equal("converted", lead2["status"]!.GetValue<string>());
        Assert.Equal(dealId, lead2.Id("dealId"));

        // The next message joins the deal, and the deal's feed holds the lead's history too, newest first.
        await fixture.IngestAsync(channel, "in-2", "cust-1", "When can I pick it up?");
        var timeline = await (await http.GetAsync($"/api/deals/{dealId}/timeline")).OkJsonAsync();
        var types = timeline["items"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["message", "converted", "created", "comment", "message", "created"], types);
        var items = timeline["items"]!.AsArray();
        Assert.Equal("When can I pick it up?", items[0]!["data"]!["preview"]!.GetValue<string>());
        Assert.Equal("Hi, do you sell bikes?", items[4]!["data"]!["preview"]!.GetValue<string>());
        Assert.Equal("contact", items[4]!["actor"]!["type"]!.GetValue<string>());
        Assert.Equal("m1", items[3]!["actor"]!["name"]!.GetValue<string>());
        Assert.Equal(1, await fixture.CountAsync("leads"));
        Assert.Equal(1, await fixture.CountAsync("deals"));

        await log.WaitForAsync("dealUpdated", d => d.Id() == dealId);
        Assert.Empty(outsiderLog.Of("leadUpdated"));
        Assert.Empty(outsiderLog.Of("dealUpdated"));

        // Converting twice is a conflict.
        Assert.Contains("converted", await (await http.PostJsonAsync($"/api/leads/{leadId}/convert", new { })).ProblemAsync(HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Simple_mode_turns_a_first_message_into_a_deal_on_the_first_stage()
    {
        using var admin = fixture.Admin();
        await (await admin.PutAsJsonAsync("/api/settings/crm", new { mode = "simple" })).OkJsonAsync();
        Assert.Equal("simple", (await (await admin.GetAsync("/api/settings/crm")).OkJsonAsync())["mode"]!.GetValue<string>());
        var channel = await fixture.CreateApiChannelAsync();
        var log = new EventLog();
        await using var hub = await fixture.HubAsync(fixture.AdminToken, log);

        await fixture.IngestAsync(channel, "s-1", "cust-s", "I need 20 chairs", "Bob");
        Assert.Equal("Bob (api)", (await log.WaitForAsync("dealUpdated"))["title"]!.GetValue<string>());
        await fixture.IngestAsync(channel, "s-2", "cust-s", "Delivered to Berlin");

        Assert.Equal(0, await fixture.CountAsync("leads"));
        var deals = await (await admin.GetAsync("/api/deals")).OkJsonAsync();
        var deal = Assert.Single(deals["items"]!.AsArray())!;
        Assert.Equal(await fixture.StageIdAsync("New"), deal.Id("stageId"));
        var timeline = await (await admin.GetAsync($"/api/deals/{deal.Id()}/timeline")).OkJsonAsync();
        Assert.Equal(["message", "message", "created"], timeline["items"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
        var board = await (await admin.GetAsync("/api/pipelines/1/board")).OkJsonAsync();
        Assert.Equal(1, board["stages"]![0]!["count"]!.GetValue<long>());
    }

    [Fact]
    public async Task Switching_classic_to_simple_converts_open_leads_and_switching_back_keeps_the_deals()
    {
        var channel = await fixture.CreateApiChannelAsync();
        await fixture.IngestAsync(channel, "a-1", "cust-a", "hello", "A");
        await fixture.IngestAsync(channel, "b-1", "cust-b", "hello", "B");
        await fixture.IngestAsync(channel, "c-1", "cust-c", "spam", "C");
        using var admin = fixture.Admin();
        var junk = (await (await admin.GetAsync("/api/leads")).OkJsonAsync())["items"]!.AsArray().Single(l => l!["title"]!.GetValue<string>() == "C (api)")!;
        await (await admin.PostJsonAsync($"/api/leads/{junk.Id()}/junk", new { reason = "Spam" })).OkJsonAsync();

        var result = await (await admin.PutAsJsonAsync("/api/settings/crm", new { mode = "simple" })).OkJsonAsync();

        Assert.Equal(2, result["convertedLeads"]!.GetValue<int>());
        Assert.Equal(2, await fixture.CountAsync("deals"));
        Assert.Equal(2, await fixture.CountAsync("leads where status = 'converted'"));
        Assert.Equal(1, await fixture.CountAsync("leads where status = 'junk'"));
        // The converted contacts' next messages land on their deals.
        await fixture.IngestAsync(channel, "a-2", "cust-a", "still there?");
        Assert.Equal(2, await fixture.CountAsync("deals"));
        await using (var db = fixture.Db())
        {
            var dealOfA = await db.ExecuteScalarAsync<long>("select d.id from deals d join contacts c on c.id = d.contact_id where c.name = 'A'");
            Assert.Equal(2, await db.ExecuteScalarAsync<long>("select count(*) from timeline_entries where deal_id = @dealOfA and type = 'message'", new { dealOfA }));
        }
        await (await admin.PutAsJsonAsync("/api/settings/crm", new { mode = "classic" })).OkJsonAsync();
        Assert.Equal(2, await fixture.CountAsync("deals"));
        await fixture.IngestAsync(channel, "d-1", "cust-d", "new person");
        Assert.Equal(1, await fixture.CountAsync("leads where status = 'new'"));
    }

    [Fact]
    public async Task Messages_arriving_while_a_lead_converts_and_the_mode_switches_all_end_on_the_deal()
    {
        var channel = await fixture.CreateApiChannelAsync();
        await fixture.IngestAsync(channel, "r-0", "cust-r", "first", "Racer");
        using var admin = fixture.Admin();
        var leadId = (await (await admin.GetAsync("/api/leads")).OkJsonAsync())["items"]![0]!.Id();
        await fixture.IngestAsync(channel, "q-0", "cust-q", "first", "Switcher");

        var messages = Enumerable.Range(1, 20).Select(i => fixture.IngestAsync(channel, $"r-{i}", "cust-r", $"message {i}")).ToList();
        var convert = admin.PostJsonAsync($"/api/leads/{leadId}/convert", new { });
        await Task.WhenAll(messages);
        var converted = await (await convert).OkJsonAsync();
        var others = Enumerable.Range(1, 20).Select(i => fixture.IngestAsync(channel, $"q-{i}", "cust-q", $"message {i}")).ToList();
        var @switch = admin.PutAsJsonAsync("/api/settings/crm", new { mode = "simple" });
        await Task.WhenAll(others);
        Assert.Equal(1, (await (await @switch).OkJsonAsync())["convertedLeads"]!.GetValue<int>());

        await using var db = fixture.Db();
        Assert.Equal(21, await db.ExecuteScalarAsync<long>("select count(*) from timeline_entries where deal_id = @dealId and type = 'message'", new { dealId = converted.Id("dealId") }));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from leads where status in ('new', 'in_work')"));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from timeline_entries where type = 'message' and deal_id is null"));
        Assert.Equal(2, await db.ExecuteScalarAsync<long>("select count(*) from deals"));
    }

    [Fact]
    public async Task Crm_settings_are_for_admins_and_reject_unknown_modes()
    {
        var manager = await fixture.CreateUserAsync("m2", "manager");
        using var http = fixture.App.Http(manager.Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/settings/crm")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PutAsJsonAsync("/api/settings/crm", new { mode = "simple" })).StatusCode);
        using var admin = fixture.Admin();
        await (await admin.PutAsJsonAsync("/api/settings/crm", new { mode = "fancy" })).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_installation_currency_is_what_a_deal_starts_in_when_nobody_names_one()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("m3", "manager", channel.Id);
        using var http = fixture.App.Http(manager.Token);
        using var admin = fixture.Admin();
        Assert.Equal("USD", (await (await http.GetAsync("/api/crm/defaults")).OkJsonAsync())["currency"]!.GetValue<string>());

        // Bad input changes nothing; an admin sets roubles without touching the mode.
        await (await admin.PutAsJsonAsync("/api/settings/crm", new { })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PutAsJsonAsync("/api/settings/crm", new { currency = "RUBL" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PutAsJsonAsync("/api/settings/crm", new { currency = "ABC" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PutAsJsonAsync("/api/settings/crm", new { mode = "fancy", currency = "RUB" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PutAsJsonAsync("/api/settings/crm", new { currency = "RUB" })).StatusCode);
        Assert.Equal("USD", (await (await admin.GetAsync("/api/settings/crm")).OkJsonAsync())["currency"]!.GetValue<string>());
        var saved = await (await admin.PutAsJsonAsync("/api/settings/crm", new { currency = "rub" })).OkJsonAsync();
        Assert.Equal(("classic", "RUB", 0), (saved["mode"]!.GetValue<string>(), saved["currency"]!.GetValue<string>(), saved["convertedLeads"]!.GetValue<int>()));
        Assert.Equal("RUB", (await (await http.GetAsync("/api/crm/defaults")).OkJsonAsync())["currency"]!.GetValue<string>());

        // A lead converted without a currency, a deal created without one, and one created with its own.
        await fixture.IngestAsync(channel, "cur-1", "cust-cur-1", "Сколько стоит доставка?", "Ирина");
        var leadId = (await (await http.GetAsync("/api/leads")).OkJsonAsync())["items"]![0]!.Id();
        var fromLead = (await (await http.PostJsonAsync($"/api/leads/{leadId}/convert", new { amount = 1500 })).OkJsonAsync()).Id("dealId");
        var plain = (await (await http.PostJsonAsync("/api/deals", new { title = "Без валюты", amount = 10 })).OkJsonAsync(HttpStatusCode.Created)).Id();
        var euros = (await (await http.PostJsonAsync("/api/deals", new { title = "In euros", amount = 10, currency = "EUR" })).OkJsonAsync(HttpStatusCode.Created)).Id();

        // A mode switch keeps the currency; the deal an inbound message opens in simple mode starts in it too.
        var switched = await (await admin.PutAsJsonAsync("/api/settings/crm", new { mode = "simple" })).OkJsonAsync();
        Assert.Equal("RUB", switched["currency"]!.GetValue<string>());
        await fixture.IngestAsync(channel, "cur-2", "cust-cur-2", "Нужен счёт", "Олег");
        var inbound = (await (await admin.GetAsync("/api/deals")).OkJsonAsync())["items"]!.AsArray()
            .Single(d => d!["title"]!.GetValue<string>() == "Олег (api)")!.Id();

        async Task<string> CurrencyOf(long id) => (await (await admin.GetAsync($"/api/deals/{id}")).OkJsonAsync())["currency"]!.GetValue<string>();
        Assert.Equal("RUB", await CurrencyOf(fromLead));
        Assert.Equal("RUB", await CurrencyOf(plain));
        Assert.Equal("EUR", await CurrencyOf(euros));
        Assert.Equal("RUB", await CurrencyOf(inbound));
        // The deal's "created" timeline entry names the currency it got.
        var created = (await (await admin.GetAsync($"/api/deals/{inbound}/timeline")).OkJsonAsync())["items"]!.AsArray()
            .Single(e => e!["type"]!.GetValue<string>() == "created")!;
        Assert.Equal("RUB", created["data"]!["currency"]!.GetValue<string>());
    }
}
