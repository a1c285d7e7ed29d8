using System.Net;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Crm.Tests;

/// <summary>The deal card's parts (issue #17): products lines with the amount computed from them, the source, the overdue counters.</summary>
[Collection(CrmCollection.Name)]
public sealed class DealCardTests(CrmFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetCrmAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static object[] TwoLines =>
    [
        new { name = "Licence", price = 10.00m, quantity = 3, discount = 10 },
        new { name = "Set-up", price = 19.99m, quantity = 1, discount = 0 },
    ];

    [Fact]
    public async Task Products_replace_the_lines_and_the_amount_follows_them_when_asked()
    {
        using var admin = fixture.Admin();
        var deal = await (await admin.PostJsonAsync("/api/deals", new { title = "Licences", amount = 5, products = TwoLines, amountFromProducts = true }))
            .OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal(46.99m, deal["amount"]!.GetValue<decimal>());
        Assert.True(deal["amountFromProducts"]!.GetValue<bool>());
        Assert.Equal(["Licence", "Set-up"], deal["products"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));

        // The flag stays on: new lines recompute the amount (one third of a cent rounds to cents).
        var patched = await (await admin.PatchJsonAsync($"/api/deals/{deal.Id()}",
            new { products = new[] { new { name = "Hour", price = 33.33m, quantity = 0.5m, discount = 0m } } })).OkJsonAsync();
        Assert.Equal(16.67m, patched["amount"]!.GetValue<decimal>());
        Assert.Single(patched["products"]!.AsArray());

        // Switched off: the amount is the seller's again and the lines stay as they are.
        var manual = await (await admin.PatchJsonAsync($"/api/deals/{deal.Id()}", new { amountFromProducts = false, amount = 100 })).OkJsonAsync();
        Assert.Equal(100m, manual["amount"]!.GetValue<decimal>());
        Assert.Equal("Hour", manual["products"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_products_line_is_a_400_that_changes_nothing()
    {
        using var admin = fixture.Admin();
        var deal = await (await admin.PostJsonAsync("/api/deals", new { title = "Licences", products = TwoLines, amountFromProducts = true })).OkJsonAsync(HttpStatusCode.Created);
        var entriesBefore = await CountAsync("select count(*) from timeline_entries where deal_id = @id", deal.Id());

        object[] bodies =
        [
            new { title = "Renamed", products = new object[] { new { name = "Ok", price = 1, quantity = 1 }, new { name = "Too generous", price = 1, quantity = 1, discount = 150 } } },
            new { title = "Renamed", products = new object[] { new { name = "", price = 1, quantity = 1 } } },
            new { title = "Renamed", products = new object[] { new { name = "Free?", quantity = 1 } } },
            new { title = "Renamed", products = new object[] { new { name = "Negative", price = -1, quantity = 1 } } },
            new { title = "Renamed", products = new object[] { new { name = "None", price = 1, quantity = 0 } } },
            new { title = "Renamed", products = new object[] { new { name = "Cents", price = 1.001m, quantity = 1 } } },
            new { title = "Renamed", products = "Box" },
            new { title = "Renamed", products = new object[] { new { name = 5, price = "a lot", quantity = 1 } } },
            new { title = "Renamed", amountFromProducts = "yes" },
            new { title = "Renamed", products = new object[] { new { name = "Fleet", price = 1_000_000_000_000m, quantity = 1_000_000_000m } }, amountFromProducts = true },
            new { title = "Renamed", sourceDetails = "a string" },
            new { title = "Renamed", sourceDetails = new { payload = new string('x', 5000) } },
        ];
        foreach (var body in bodies)
        {
            var response = await admin.PatchJsonAsync($"/api/deals/{deal.Id()}", body);
            await response.ProblemAsync(HttpStatusCode.BadRequest);
        }
        await (await admin.PostJsonAsync("/api/deals", new { title = "New", products = new object[] { new { name = "x", price = -5, quantity = 1 } } }))
            .ProblemAsync(HttpStatusCode.BadRequest);

        var after = await (await admin.GetAsync($"/api/deals/{deal.Id()}")).OkJsonAsync();
        Assert.Equal("Licences", after["title"]!.GetValue<string>());
        Assert.Equal(46.99m, after["amount"]!.GetValue<decimal>());
        Assert.Equal(2, after["products"]!.AsArray().Count);
        Assert.Equal(entriesBefore, await CountAsync("select count(*) from timeline_entries where deal_id = @id", deal.Id()));
        Assert.Equal(1, await CountAsync("select count(*) from deals where id >= @id", 1)); // the refused POST made no deal
    }

    [Fact]
    public async Task Another_manager_can_neither_see_nor_change_the_products_of_a_deal()
    {
        var m1 = await fixture.CreateUserAsync("cards-p1", "manager");
        var m2 = await fixture.CreateUserAsync("cards-p2", "manager");
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        var deal = await (await http1.PostJsonAsync("/api/deals", new { title = "Mine", products = TwoLines, amountFromProducts = true })).OkJsonAsync(HttpStatusCode.Created);

        await (await http2.GetAsync($"/api/deals/{deal.Id()}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await http2.PatchJsonAsync($"/api/deals/{deal.Id()}", new { products = Array.Empty<object>(), amountFromProducts = true }))
            .ProblemAsync(HttpStatusCode.NotFound);

        var still = await (await http1.GetAsync($"/api/deals/{deal.Id()}")).OkJsonAsync();
        Assert.Equal(2, still["products"]!.AsArray().Count);
        Assert.Equal(46.99m, still["amount"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task The_source_of_a_deal_is_an_object_and_inbound_leads_record_their_channel()
    {
        using var admin = fixture.Admin();
        var deal = await (await admin.PostJsonAsync("/api/deals", new
        {
            title = "From the fair", source = "fair", sourceDetails = new { form = "business card", utm = new { utm_source = "expo" } },
        })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("fair", deal["source"]!.GetValue<string>());
        Assert.Equal("expo", deal["sourceDetails"]!["utm"]!["utm_source"]!.GetValue<string>());

        var channel = await fixture.CreateApiChannelAsync();
        var conversationId = (await fixture.IngestAsync(channel, "src-1", "src-cust", "hello", "Source Customer"))["conversationId"]!.GetValue<long>();
        var leadId = (await (await admin.GetAsync($"/api/conversations/{conversationId}")).OkJsonAsync())["leadId"]!.GetValue<long>();
        var lead = await (await admin.GetAsync($"/api/leads/{leadId}")).OkJsonAsync();
        Assert.Equal("api", lead["sourceDetails"]!["channel"]!.GetValue<string>());
        Assert.Equal(channel.Id, lead["sourceDetails"]!["channelId"]!.GetValue<long>());
        Assert.Equal(conversationId, lead["sourceDetails"]!["conversationId"]!.GetValue<long>());

        // A conversation id typed in by hand is shown only when it names a conversation the reader may open.
        var manager = await fixture.CreateUserAsync("src-typed", "manager");
        using var http = fixture.App.Http(manager.Token);
        foreach (var typed in new JsonNode[] { "1.5e99", 99999999999999999999m, conversationId })
        {
            var own = await (await http.PostJsonAsync("/api/deals", new { title = "Typed in", sourceDetails = new JsonObject { ["conversationId"] = typed.DeepClone(), ["form"] = "typed" } }))
                .OkJsonAsync(HttpStatusCode.Created);
            var read = await (await http.GetAsync($"/api/deals/{own.Id()}")).OkJsonAsync();
            Assert.Equal("typed", read["sourceDetails"]!["form"]!.GetValue<string>());
            Assert.Null(read["sourceDetails"]!["conversationId"]);
        }
    }

    [Fact]
    public async Task Each_pipeline_counts_the_callers_deals_with_an_overdue_activity()
    {
        var m1 = await fixture.CreateUserAsync("cards-o1", "manager");
        var m2 = await fixture.CreateUserAsync("cards-o2", "manager");
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        var now = fixture.Clock.GetUtcNow();
        var late = await (await http1.PostJsonAsync("/api/deals", new { title = "Late" })).OkJsonAsync(HttpStatusCode.Created);
        var fine = await (await http1.PostJsonAsync("/api/deals", new { title = "Fine" })).OkJsonAsync(HttpStatusCode.Created);
        foreach (var (deal, due) in new[] { (late, now.AddHours(-2)), (late, now.AddHours(-1)), (fine, now.AddDays(1)) })
        {
            await (await http1.PostJsonAsync("/api/activities", new { subject = new { type = "deal", id = deal.Id() }, type = "call", title = "Call", dueAt = due }))
                .OkJsonAsync(HttpStatusCode.Created);
        }

        var mine = await (await http1.GetAsync("/api/pipelines/overdue")).OkArrayAsync();
        Assert.Equal(1, mine.Single(p => p!["pipelineId"]!.GetValue<long>() == 1)!["overdue"]!.GetValue<long>());
        var theirs = await (await http2.GetAsync("/api/pipelines/overdue")).OkArrayAsync();
        Assert.Equal(0, theirs.Single(p => p!["pipelineId"]!.GetValue<long>() == 1)!["overdue"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_card_lists_the_files_of_its_conversations_to_those_who_may_open_them()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("cards-f1", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("cards-f2", "manager");
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        var conversationId = (await fixture.IngestAsync(channel, "files-1", "files-cust", "see attached", "Filer"))["conversationId"]!.GetValue<long>();
        var leadId = (await (await http1.GetAsync($"/api/conversations/{conversationId}")).OkJsonAsync())["leadId"]!.GetValue<long>();
        var upload = await AppFixture.UploadIdAsync(http1, conversationId, "quote.txt", "the quote"u8.ToArray(), "text/plain");
        await (await http1.PostJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "the quote", @private = true, attachmentIds = new[] { upload } }))
            .OkJsonAsync(HttpStatusCode.Accepted);

        var files = await (await http1.GetAsync($"/api/leads/{leadId}/files")).OkArrayAsync();
        var file = Assert.Single(files)!;
        Assert.Equal("quote.txt", file["fileName"]!.GetValue<string>());
        Assert.Equal($"/api/attachments/{upload}", file["url"]!.GetValue<string>());
        await (await http2.GetAsync($"/api/leads/{leadId}/files")).ProblemAsync(HttpStatusCode.NotFound);
        await (await http1.GetAsync("/api/deals/9999999/files")).ProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<long> CountAsync(string sql, long id)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long>(sql, new { id });
    }
}
