using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests.Reports;

/// <summary>Monthly sales plans (issue 17): set by staff, read with progress and a linear forecast; a manager sees only their own row.</summary>
public sealed class SalesPlanTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>, IAsyncLifetime
{
    private readonly ReportData data = new(fixture);

    /// <summary>
    /// The app's clock stands still for each test (an hour back, so the tokens it issues are valid for the real clock that
    /// checks them): "this month" and the days elapsed are the app's, read from it, never the wall clock's.
    /// </summary>
    public Task InitializeAsync()
    {
        fixture.Clock.SetUtcNow(DateTimeOffset.UtcNow.AddHours(-1));
        return fixture.ResetAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_plan_shows_won_progress_and_forecast_and_a_manager_sees_only_their_own_row()
    {
        var ann = await fixture.CreateUserAsync("ann", "manager");
        var bob = await fixture.CreateUserAsync("bob", "manager");
        var sue = await fixture.CreateUserAsync("sue", "supervisor");
        var now = fixture.Clock.GetUtcNow().UtcDateTime;
        var monthStart = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var month = monthStart.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var previous = monthStart.AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        using var supervisor = fixture.App.Http(sue.Token);
        (await supervisor.PutAsJsonAsync($"/api/sales-plans/{ann.Id}/{month}", new { amount = 500 })).EnsureSuccessStatusCode();
        var set = await (await supervisor.PutAsJsonAsync($"/api/sales-plans/{ann.Id}/{month}", new { amount = 1000 })).OkJsonAsync();
        Assert.Equal(1000m, set["amount"]!.GetValue<decimal>());
        (await supervisor.PutAsJsonAsync($"/api/sales-plans/{ann.Id}/{previous}", new { amount = 200 })).EnsureSuccessStatusCode();
        // Ann won 250 this month and 150 last month; an open deal and a lost one do not count.
        await data.DealAsync("Won now", 250, ann.Id, null, monthStart, monthStart.AddMinutes(1), "won");
        await data.DealAsync("Lost now", 900, ann.Id, null, monthStart, monthStart.AddMinutes(1), "lost");
        await data.DealAsync("Open", 900, ann.Id, null, monthStart);
        await data.DealAsync("Won before", 150, ann.Id, null, monthStart.AddMonths(-1), monthStart.AddDays(-1), "won");

        var report = await (await supervisor.GetAsync($"/api/reports/plan?month={month}")).OkJsonAsync();

        var days = DateTime.DaysInMonth(now.Year, now.Month);
        Assert.Equal((now.Day, days), (report["daysElapsed"]!.GetValue<int>(), report["daysInMonth"]!.GetValue<int>()));
        var rows = report["rows"]!.AsArray().ToDictionary(r => r!["userId"]!.GetValue<long>(), r => r!.AsObject());
        Assert.Equal([ann.Id, bob.Id], rows.Keys.Order());
        var annRow = rows[ann.Id];
        Assert.Equal((1000m, 250m, 1L, 0.25), (annRow["plan"]!.GetValue<decimal>(), annRow["won"]!.GetValue<decimal>(), annRow["wonCount"]!.GetValue<long>(),
            annRow["progress"]!.GetValue<double>()));
        Assert.Equal(Math.Round(250m * days / now.Day, 2), annRow["forecast"]!.GetValue<decimal>());
        Assert.Null(rows[bob.Id]["plan"]);
        Assert.Null(rows[bob.Id]["progress"]);
        Assert.Equal(0m, rows[bob.Id]["won"]!.GetValue<decimal>());

        // A past month's forecast is what was won.
        var past = (await (await supervisor.GetAsync($"/api/reports/plan?month={previous}")).OkJsonAsync())["rows"]!.AsArray().Single(r => r!.Id("userId") == ann.Id)!;
        Assert.Equal((200m, 150m, 0.75, 150m), (past["plan"]!.GetValue<decimal>(), past["won"]!.GetValue<decimal>(), past["progress"]!.GetValue<double>(),
            past["forecast"]!.GetValue<decimal>()));

        // A manager reads the plan report, and only their own row.
        using var asBob = fixture.App.Http(bob.Token);
        var own = await (await asBob.GetAsync($"/api/reports/plan?month={month}")).OkJsonAsync();
        Assert.Equal(bob.Id, Assert.Single(own["rows"]!.AsArray())!.Id("userId"));
        using var asAnn = fixture.App.Http(ann.Token);
        var annCsv = (await (await asAnn.GetAsync($"/api/reports/plan?month={month}&format=csv")).Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["month", "userId"], annCsv[0].Split(',')[..2]);
        Assert.Equal($"{month},{ann.Id},ann,1000,250,1,0.25,", Assert.Single(annCsv[1..])[..($"{month},{ann.Id},ann,1000,250,1,0.25,".Length)]);
        // ... and cannot set one, not even their own.
        Assert.Equal(HttpStatusCode.Forbidden, (await asAnn.PutAsJsonAsync($"/api/sales-plans/{ann.Id}/{month}", new { amount = 1 })).StatusCode);
    }

    [Fact]
    public async Task A_plan_is_in_the_installation_currency_and_wins_in_other_currencies_are_listed_apart_not_added()
    {
        var ann = await fixture.CreateUserAsync("ann", "manager");
        var now = fixture.Clock.GetUtcNow().UtcDateTime;
        var monthStart = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var month = monthStart.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        using var admin = fixture.App.Http(fixture.AdminToken);
        (await admin.PutAsJsonAsync("/api/settings/crm", new { currency = "RUB" })).EnsureSuccessStatusCode();
        var set = await (await admin.PutAsJsonAsync($"/api/sales-plans/{ann.Id}/{month}", new { amount = 200000 })).OkJsonAsync();
        Assert.Equal("RUB", set["currency"]!.GetValue<string>());
        var rub = await data.DealAsync("Roubles", 100000, ann.Id, null, monthStart, monthStart.AddMinutes(1), "won");
        var usd1 = await data.DealAsync("Dollars 1", 200, ann.Id, null, monthStart, monthStart.AddMinutes(2), "won");
        var usd2 = await data.DealAsync("Dollars 2", 100, ann.Id, null, monthStart, monthStart.AddMinutes(3), "won");
        var eur = await data.DealAsync("Euros", 700, ann.Id, null, monthStart, monthStart.AddMinutes(4), "won");
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("update deals set currency = case id when @rub then 'RUB' when @eur then 'EUR' else 'USD' end where id = any(@ids)",
                new { rub, eur, ids = new[] { rub, usd1, usd2, eur } });
        }

        var report = await (await admin.GetAsync($"/api/reports/plan?month={month}")).OkJsonAsync();

        Assert.Equal("RUB", report["currency"]!.GetValue<string>());
        var row = report["rows"]!.AsArray().Single(r => r!.Id("userId") == ann.Id)!;
        Assert.Equal((100000m, 1L, 0.5), (row["won"]!.GetValue<decimal>(), row["wonCount"]!.GetValue<long>(), row["progress"]!.GetValue<double>()));
        // Most won deals first: two in dollars, then one in euros.
        Assert.Equal(["USD 300", "EUR 700"], row["wonOther"]!.AsArray().Select(o => $"{o!["currency"]} {o["amount"]!.GetValue<decimal>().ToString("0.##", CultureInfo.InvariantCulture)}"));
        var csv = (await (await admin.GetAsync($"/api/reports/plan?month={month}&format=csv")).Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",currency,wonOtherCurrencies", csv[0]);
        Assert.EndsWith(",RUB,\"300 USD; 700 EUR\"", csv.Single(l => l.Contains($",{ann.Id},ann,", StringComparison.Ordinal)));

        // The installation moves to dollars: Ann's plan stays a rouble plan (it was set in roubles), Bob's row without a
        // plan is in dollars, and a plan set now is in dollars unless it says otherwise.
        var bob = await fixture.CreateUserAsync("bob", "manager");
        (await admin.PutAsJsonAsync("/api/settings/crm", new { currency = "USD" })).EnsureSuccessStatusCode();
        var after = await (await admin.GetAsync($"/api/reports/plan?month={month}")).OkJsonAsync();
        Assert.Equal("USD", after["currency"]!.GetValue<string>());
        var rows = after["rows"]!.AsArray().ToDictionary(r => r!.Id("userId"), r => r!);
        Assert.Equal(("RUB", 200000m, 100000m), (rows[ann.Id]["currency"]!.GetValue<string>(), rows[ann.Id]["plan"]!.GetValue<decimal>(), rows[ann.Id]["won"]!.GetValue<decimal>()));
        Assert.Equal("USD", rows[bob.Id]["currency"]!.GetValue<string>());
        var bobPlan = await (await admin.PutAsJsonAsync($"/api/sales-plans/{bob.Id}/{month}", new { amount = 5000 })).OkJsonAsync();
        Assert.Equal("USD", bobPlan["currency"]!.GetValue<string>());
        // Changing the amount keeps the plan's currency; a currency given changes it; a bad one is a 400 that changes nothing.
        Assert.Equal("RUB", (await (await admin.PutAsJsonAsync($"/api/sales-plans/{ann.Id}/{month}", new { amount = 250000 })).OkJsonAsync())["currency"]!.GetValue<string>());
        await (await admin.PutAsJsonAsync($"/api/sales-plans/{ann.Id}/{month}", new { amount = 1, currency = "RUBL" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("EUR", (await (await admin.PutAsJsonAsync($"/api/sales-plans/{ann.Id}/{month}", new { amount = 900, currency = "eur" })).OkJsonAsync())["currency"]!.GetValue<string>());
        var euro = (await (await admin.GetAsync($"/api/reports/plan?month={month}")).OkJsonAsync())["rows"]!.AsArray().Single(r => r!.Id("userId") == ann.Id)!;
        Assert.Equal((900m, 700m, 1L), (euro["plan"]!.GetValue<decimal>(), euro["won"]!.GetValue<decimal>(), euro["wonCount"]!.GetValue<long>()));
    }

    [Theory]
    [InlineData("2026-13", """{"amount": 100}""", "month")]
    [InlineData("2026-1", """{"amount": 100}""", "month")]
    [InlineData("1999-12", """{"amount": 100}""", "month")]
    [InlineData("next", """{"amount": 100}""", "month")]
    [InlineData("2026-03", """{"amount": -1}""", "amount")]
    [InlineData("2026-03", """{"amount": 1.234}""", "amount")]
    [InlineData("2026-03", """{"amount": 10000000000000000}""", "amount")]
    [InlineData("2026-03", """{}""", "amount")]
    public async Task A_bad_month_or_amount_is_a_400_and_stores_nothing(string month, string body, string field)
    {
        var ann = await fixture.CreateUserAsync("ann", "manager");
        using var http = fixture.App.Http(fixture.AdminToken);
        var response = await http.PutAsync($"/api/sales-plans/{ann.Id}/{month}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![field]);
        Assert.Equal(0, await fixture.CountAsync("sales_plans"));
    }

    [Fact]
    public async Task A_plan_for_an_unknown_user_is_a_404()
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PutAsJsonAsync("/api/sales-plans/999999/2026-03", new { amount = 100 })).StatusCode);
        Assert.Equal(0, await fixture.CountAsync("sales_plans"));
    }
}
