using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests.Reports;

/// <summary>
/// The reports never add amounts of different currencies into one figure: beside each old all-currency sum (kept for
/// older clients) they give one sum per currency. 75,000 USD and 1 RUB lost read as those two, not as 75,001.
/// </summary>
public sealed class CurrencySumsTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private const string January = "from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z";

    private readonly ReportData data = new(fixture);

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static DateTime Day(int day) => new(2026, 1, day, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Funnel_sales_and_efficiency_sum_each_currency_apart()
    {
        var ann = await fixture.CreateUserAsync("ann", "manager");
        long reason;
        await using (var db = fixture.Db())
        {
            reason = await db.ExecuteScalarAsync<long>("select id from loss_reasons where name = 'Too expensive'");
        }
        // Two lost (75,000 USD and 1 RUB), two won (21 USD and 99,999.50 EUR), all through New.
        var lostUsd = await data.DealAsync("L-USD", 75000, ann.Id, "web", Day(2), Day(5), "lost", reason);
        await data.HistoryAsync(lostUsd, ("New", Day(2)), ("Lost", Day(5)));
        var lostRub = await data.DealAsync("L-RUB", 1, ann.Id, "web", Day(2), Day(6), "lost", reason);
        await data.HistoryAsync(lostRub, ("New", Day(2)), ("Lost", Day(6)));
        var wonUsd = await data.DealAsync("W-USD", 21, ann.Id, "web", Day(3), Day(7), "won");
        await data.HistoryAsync(wonUsd, ("New", Day(3)), ("Won", Day(7)));
        var wonEur = await data.DealAsync("W-EUR", 99999.5m, ann.Id, "web", Day(3), Day(8), "won");
        await data.HistoryAsync(wonEur, ("New", Day(3)), ("Won", Day(8)));
        await using (var db = fixture.Db())
        {
            // After the history: the kept funnel rows follow a deal's currency change.
            await db.ExecuteAsync("update deals set currency = 'RUB' where id = @lostRub; update deals set currency = 'EUR' where id = @wonEur", new { lostRub, wonEur });
        }
        using var http = fixture.App.Http(fixture.AdminToken);

        var funnel = await (await http.GetAsync($"/api/reports/funnel?{January}")).OkJsonAsync();
        Assert.Equal(75001m, funnel["lost"]!["amount"]!.GetValue<decimal>());
        Assert.Equal([("RUB", 1m), ("USD", 75000m)], Sums(funnel["lost"]!["amountByCurrency"]));
        Assert.Equal([("EUR", 99999.5m), ("USD", 21m)], Sums(funnel["won"]!["amountByCurrency"]));
        var lossReason = Assert.Single(funnel["lossReasons"]!.AsArray())!;
        Assert.Equal(2, lossReason["count"]!.GetValue<long>());
        Assert.Equal([("RUB", 1m), ("USD", 75000m)], Sums(lossReason["amountByCurrency"]));
        var stages = funnel["stages"]!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!);
        // The currency of most deals first (two in dollars), then by code, as the outcomes and the board list theirs.
        Assert.Equal([("USD", 75021m), ("EUR", 99999.5m), ("RUB", 1m)], Sums(stages["New"]["amountByCurrency"]));
        Assert.Equal([("USD", 75021m), ("EUR", 99999.5m), ("RUB", 1m)], Sums(stages["New"]["reachedAmountByCurrency"]));
        // Qualification: nobody entered it, the two won deals passed it.
        Assert.Empty(Sums(stages["Qualification"]["amountByCurrency"]));
        // Every stage lists the funnel's currencies in one order (the one of most deals first), so a column reads down.
        Assert.Equal([("USD", 21m), ("EUR", 99999.5m)], Sums(stages["Qualification"]["reachedAmountByCurrency"]));
        Assert.Equal([("USD", 75000m), ("RUB", 1m)], Sums(stages["Lost"]["reachedAmountByCurrency"]));
        Assert.Equal(4, stages["New"]["entered"]!.GetValue<long>());

        var sales = await (await http.GetAsync($"/api/reports/sales?{January}&groupBy=manager")).OkJsonAsync();
        var row = Assert.Single(sales["rows"]!.AsArray())!;
        Assert.Equal([("EUR", 99999.5m), ("USD", 21m)], Sums(row["sumByCurrency"]));
        Assert.Equal([("EUR", 99999.5m), ("USD", 21m)], Sums(row["averageByCurrency"]));

        var efficiency = await (await http.GetAsync($"/api/reports/efficiency?{January}")).OkJsonAsync();
        var annRow = efficiency["rows"]!.AsArray().Single(r => r!.Id("userId") == ann.Id)!;
        Assert.Equal(2, annRow["dealsWon"]!.GetValue<long>());
        Assert.Equal([("EUR", 99999.5m), ("USD", 21m)], Sums(annRow["dealsWonByCurrency"]));
    }

    private static List<(string Currency, decimal Amount)> Sums(JsonNode? list) =>
        list!.AsArray().Select(s => (s!["currency"]!.GetValue<string>(), s["amount"]!.GetValue<decimal>())).ToList();
}
