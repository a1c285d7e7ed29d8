using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests.Reports;

/// <summary>The funnel and sales reports (issue 17) on hand-built deals: every figure is worked out in the comments.</summary>
public sealed class SalesReportsTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private const string January = "from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z";

    private readonly ReportData data = new(fixture);

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static DateTime Day(int day, int month = 1) => new(2026, month, day, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task The_funnel_counts_entered_and_reached_per_stage_with_conversion_outcomes_reasons_and_filters()
    {
        var ann = await fixture.CreateUserAsync("ann", "manager");
        var bob = await fixture.CreateUserAsync("bob", "manager");
        long reason;
        await using (var db = fixture.Db())
        {
            reason = await db.ExecuteScalarAsync<long>("select id from loss_reasons where name = 'Too expensive'");
        }
        // D1 walks New > Qualification > Proposal > Won; D2 skips Qualification and is lost; D3 stays New; Bob's D4 reaches
        // Qualification; D5 entered New in December and Qualification in January; D6 is all February.
        var d1 = await data.DealAsync("D1", 100, ann.Id, "web", Day(2), Day(5), "won");
        await data.HistoryAsync(d1, ("New", Day(2)), ("Qualification", Day(3)), ("Proposal", Day(4)), ("Won", Day(5)));
        var d2 = await data.DealAsync("D2", 200, ann.Id, "web", Day(2), Day(7), "lost", reason);
        await data.HistoryAsync(d2, ("New", Day(2)), ("Proposal", Day(6)), ("Lost", Day(7)));
        var d3 = await data.DealAsync("D3", 300, ann.Id, "web", Day(3));
        await data.HistoryAsync(d3, ("New", Day(3)));
        var d4 = await data.DealAsync("D4", 400, bob.Id, "phone", Day(4));
        await data.HistoryAsync(d4, ("New", Day(4)), ("Qualification", Day(5)));
        var d5 = await data.DealAsync("D5", 500, ann.Id, "web", Day(20, 12).AddYears(-1));
        await data.HistoryAsync(d5, ("New", Day(20, 12).AddYears(-1)), ("Qualification", Day(10)));
        var d6 = await data.DealAsync("D6", 600, ann.Id, "web", Day(2, 2));
        await data.HistoryAsync(d6, ("New", Day(2, 2)));
        using var http = fixture.App.Http(fixture.AdminToken);

        var funnel = await (await http.GetAsync($"/api/reports/funnel?{January}")).OkJsonAsync();

        var stages = funnel["stages"]!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!.AsObject());
        // Entered: New D1-D4 (1000); Qualification D1, D4, D5 (1000); Proposal D1, D2 (300); Won D1; Lost D2.
        // Reached (furthest step): D1 won, D2 Proposal, D3 New, D4 and D5 Qualification.
        (string Stage, long Entered, decimal Amount, long Reached, decimal ReachedAmount, double? Conversion)[] expected =
        [
            ("New", 4, 1000, 5, 1500, 4 / 5.0),
            ("Qualification", 3, 1000, 4, 1200, 2 / 4.0),
            ("Proposal", 2, 300, 2, 300, 1 / 2.0),
            ("Negotiation", 0, 0, 1, 100, 1.0),
            ("Won", 1, 100, 1, 100, null),
            ("Lost", 1, 200, 1, 200, null),
        ];
        foreach (var e in expected)
        {
            var s = stages[e.Stage];
            Assert.Equal((e.Stage, e.Entered, e.Amount, e.Reached, e.ReachedAmount), (e.Stage, s["entered"]!.GetValue<long>(), s["amount"]!.GetValue<decimal>(),
                s["reached"]!.GetValue<long>(), s["reachedAmount"]!.GetValue<decimal>()));
            Assert.Equal(e.Conversion, s["conversionToNext"]?.GetValue<double>());
        }
        Assert.Equal((1, 100m), (funnel["won"]!["count"]!.GetValue<long>(), funnel["won"]!["amount"]!.GetValue<decimal>()));
        Assert.Equal((1, 200m), (funnel["lost"]!["count"]!.GetValue<long>(), funnel["lost"]!["amount"]!.GetValue<decimal>()));
        var lost = Assert.Single(funnel["lossReasons"]!.AsArray())!;
        Assert.Equal((reason, "Too expensive", 1, 200m), (lost.Id(), lost["name"]!.GetValue<string>(), lost["count"]!.GetValue<long>(), lost["amount"]!.GetValue<decimal>()));

        // Bob's deals only (the same as source=phone): D4 entered New and Qualification.
        foreach (var filter in new[] { $"assigneeId={bob.Id}", "source=phone" })
        {
            var narrow = await (await http.GetAsync($"/api/reports/funnel?{January}&{filter}")).OkJsonAsync();
            var rows = narrow["stages"]!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!["entered"]!.GetValue<long>());
            Assert.Equal([1, 1, 0, 0, 0, 0], new[] { "New", "Qualification", "Proposal", "Negotiation", "Won", "Lost" }.Select(n => rows[n]));
            Assert.Equal(0, narrow["won"]!["count"]!.GetValue<long>());
        }
        var web = await (await http.GetAsync($"/api/reports/funnel?{January}&source=web")).OkJsonAsync();
        Assert.Equal(3, web["stages"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "New")!["entered"]!.GetValue<long>());

        // The same funnel as CSV.
        var csv = await CsvAsync(http, $"/api/reports/funnel?{January}&format=csv");
        Assert.StartsWith("stageId,stage,semantic,entered,amount,reached,reachedAmount,conversionToNext\r\n", csv);
        Assert.Contains($"\r\n{stages["New"].Id("stageId")},New,open,4,1000,5,1500,0.8\r\n", csv);
        Assert.Contains($"\r\n{reason},Loss reason: Too expensive,lossReason,1,200,,,\r\n", csv);
    }

    [Fact]
    public async Task Sales_per_manager_source_and_month_count_sum_average_win_rate_and_median_cycle()
    {
        var ann = await fixture.CreateUserAsync("ann", "manager");
        var bob = await fixture.CreateUserAsync("bob", "manager");
        // A name a spreadsheet would run as a formula, with a quote and a comma: the CSV must defuse and quote it.
        await data.RenameAsync(bob.Id, "=Bob \"Closer\", Jr");
        // Ann wins 100 (2 days), 300 (4 days), 500 (10 days) and loses one; Bob wins 1000 (10 days) and loses two;
        // Ann's February win is outside January.
        await data.DealAsync("A1", 100, ann.Id, "web", Day(1), Day(3), "won");
        await data.DealAsync("A2", 300, ann.Id, "web", Day(1), Day(5), "won");
        await data.DealAsync("A3", 500, ann.Id, "phone", Day(1), Day(11), "won");
        await data.DealAsync("A4", 50, ann.Id, "web", Day(1), Day(4), "lost");
        await data.DealAsync("B1", 1000, bob.Id, null, Day(10), Day(20), "won");
        await data.DealAsync("B2", 20, bob.Id, null, Day(10), Day(21), "lost");
        await data.DealAsync("B3", 30, bob.Id, null, Day(10), Day(22), "lost");
        await data.DealAsync("A5", 7777, ann.Id, "web", Day(1), Day(3, 2), "won");
        await data.DealAsync("Open", 9999, ann.Id, "web", Day(2));
        using var http = fixture.App.Http(fixture.AdminToken);

        var byManager = Rows(await (await http.GetAsync($"/api/reports/sales?{January}&groupBy=manager")).OkJsonAsync());
        Assert.Equal(
        [
            ($"{bob.Id}", "=Bob \"Closer\", Jr", 1L, 1000m, (decimal?)1000m, (double?)(1 / 3.0), (double?)10.0, 2L),
            ($"{ann.Id}", "ann", 3L, 900m, 300m, 0.75, 4.0, 1L),
        ], byManager);

        var bySource = Rows(await (await http.GetAsync($"/api/reports/sales?{January}&groupBy=source")).OkJsonAsync());
        Assert.Equal(
        [
            ("", "No source", 1L, 1000m, (decimal?)1000m, (double?)(1 / 3.0), (double?)10.0, 2L),
            ("phone", "phone", 1L, 500m, 500m, 1.0, 10.0, 0L),
            ("web", "web", 2L, 400m, 200m, 2 / 3.0, 3.0, 1L),
        ], bySource);

        var byMonth = Rows(await (await http.GetAsync("/api/reports/sales?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z&groupBy=month")).OkJsonAsync());
        Assert.Equal(["2026-01", "2026-02"], byMonth.Select(r => r.Key));
        Assert.Equal([1900m, 7777m], byMonth.Select(r => r.Sum));

        var csv = await CsvAsync(http, $"/api/reports/sales?{January}&groupBy=manager", accept: true);
        Assert.Equal($"key,label,count,sum,average,winRate,cycleTimeDays,lost\r\n{bob.Id},\"'=Bob \"\"Closer\"\", Jr\",1,1000,1000,0.3333,10,2\r\n{ann.Id},ann,3,900,300,0.75,4,1\r\n", csv);
    }

    [Theory]
    [InlineData("/api/reports/sales?groupBy=week", "groupBy")]
    [InlineData("/api/reports/sales?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("/api/reports/funnel?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("/api/reports/funnel?pipelineId=999999", "pipelineId")]
    [InlineData("/api/reports/efficiency?from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("/api/reports/speed-to-lead?groupBy=stage", "groupBy")]
    [InlineData("/api/reports/speed-to-lead?from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z", "from")]
    [InlineData("/api/stats/response-times?from=9999-12-30T00:00:00Z&to=9999-12-31T23:59:59Z", "from")] // was a 500 (outside review)
    [InlineData("/api/stats/funnel?from=9999-12-30T00:00:00Z&to=9999-12-31T23:59:59Z", "from")]
    [InlineData("/api/stats/funnel?from=0001-01-01T00:00:00Z&to=9999-01-01T00:00:00Z", "from")]
    [InlineData("/api/stats/response-times?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("/api/reports/plan?month=2026-13", "month")]
    [InlineData("/api/reports/plan?month=26-01", "month")]
    public async Task Bad_report_input_is_a_400_naming_the_field(string url, string field)
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![field]);
    }

    [Theory]
    [InlineData("/api/reports/funnel")]
    [InlineData("/api/reports/funnel?format=csv")]
    [InlineData("/api/reports/sales")]
    [InlineData("/api/reports/efficiency")]
    [InlineData("/api/reports/speed-to-lead")]
    public async Task A_manager_gets_403_from_every_staff_report(string url)
    {
        var manager = await fixture.CreateUserAsync("ann", "manager");
        var supervisor = await fixture.CreateUserAsync("sue", "supervisor");
        using var asManager = fixture.App.Http(manager.Token);
        using var asSupervisor = fixture.App.Http(supervisor.Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await asManager.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asSupervisor.GetAsync(url)).StatusCode);
    }

    // Win rates are compared exactly: the JSON writes the shortest text that reads back as the same double.
    private static List<(string Key, string Label, long Count, decimal Sum, decimal? Average, double? WinRate, double? Cycle, long Lost)> Rows(JsonObject report) =>
        report["rows"]!.AsArray().Select(r => (r!["key"]!.GetValue<string>(), r["label"]!.GetValue<string>(), r["count"]!.GetValue<long>(), r["sum"]!.GetValue<decimal>(),
            r["average"]?.GetValue<decimal>(), r["winRate"]?.GetValue<double>(), r["cycleTimeDays"]?.GetValue<double>(), r["lost"]!.GetValue<long>())).ToList();

    /// <summary>The body of a CSV answer, checked to be UTF-8 with a BOM.</summary>
    private static async Task<string> CsvAsync(HttpClient http, string url, bool accept = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept)
        {
            request.Headers.Accept.ParseAdd("text/csv");
        }
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        return Encoding.UTF8.GetString(bytes[3..]);
    }
}
