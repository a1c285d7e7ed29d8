using System.Net;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Crm.Tests;

/// <summary>The board's per-stage aggregate (deal_stage_totals, kept by triggers) against a fresh count of the deals.</summary>
[Collection(CrmCollection.Name)]
public sealed class DealStageTotalsTests(CrmFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetCrmAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_per_stage_totals_equal_a_fresh_count_after_random_moves_closes_deletes_and_amount_and_currency_changes()
    {
        var random = new Random(1918);
        using var admin = fixture.Admin();
        var m1 = await fixture.CreateUserAsync("totals-a", "manager");
        var m2 = await fixture.CreateUserAsync("totals-b", "manager");
        long?[] assignees = [null, m1.Id, m2.Id];
        await using var db = fixture.Db();
        var open = (await db.QueryAsync<long>("select id from stages where pipeline_id = 1 and semantic = 'open' order by sort")).ToArray();
        decimal Amount() => random.Next(0, 100_000) / 100m;
        string[] currencies = ["USD", "RUB", "EUR"];
        string Currency() => currencies[random.Next(currencies.Length)];

        var deals = new List<long>();
        for (var i = 0; i < 30; i++)
        {
            var created = await (await admin.PostJsonAsync("/api/deals", new
            {
                title = $"T{i}", amount = Amount(), currency = Currency(), stageId = open[random.Next(open.Length)], assigneeId = assignees[random.Next(assignees.Length)],
            })).OkJsonAsync(HttpStatusCode.Created);
            deals.Add(created.Id());
        }
        var closed = new HashSet<long>();
        for (var step = 1; step <= 120; step++)
        {
            var id = deals[random.Next(deals.Count)];
            switch (random.Next(8))
            {
                case 0 when !closed.Contains(id):
                    await (await admin.PatchJsonAsync($"/api/deals/{id}", new JsonObject { ["stageId"] = open[random.Next(open.Length)] })).OkJsonAsync();
                    break;
                case 1:
                    await (await admin.PatchJsonAsync($"/api/deals/{id}", new JsonObject { ["amount"] = Amount() })).OkJsonAsync();
                    break;
                case 2:
                    await (await admin.PatchJsonAsync($"/api/deals/{id}", new JsonObject { ["assigneeId"] = assignees[random.Next(assignees.Length)] })).OkJsonAsync();
                    break;
                case 3 when closed.Add(id):
                    await (await admin.PostJsonAsync($"/api/deals/{id}/close", random.Next(2) == 0 ? new { outcome = "won" } : (object)new { outcome = "lost", lossReasonId = 2 })).OkJsonAsync();
                    break;
                case 3:
                    await (await admin.PostJsonAsync($"/api/deals/{id}/reopen", new { })).OkJsonAsync();
                    closed.Remove(id);
                    break;
                case 6:
                    await (await admin.PatchJsonAsync($"/api/deals/{id}", new JsonObject { ["currency"] = Currency() })).OkJsonAsync();
                    break;
                case 4 when deals.Count > 10:
                    await db.ExecuteAsync("update timeline_entries set deal_id = null where deal_id = @id; delete from deals where id = @id", new { id });
                    deals.Remove(id);
                    closed.Remove(id);
                    break;
                case 5:
                    // Several deals in one statement: one trigger run nets them.
                    await db.ExecuteAsync("update deals set amount = amount + 1.25, stage_id = case when id % 2 = 0 and closed_at is null then @stage else stage_id end where id % 3 = @r",
                        new { stage = open[random.Next(open.Length)], r = random.Next(3) });
                    break;
                default:
                    var created = await (await admin.PostJsonAsync("/api/deals", new { title = $"S{step}", amount = Amount(), currency = Currency(), assigneeId = assignees[random.Next(assignees.Length)] }))
                        .OkJsonAsync(HttpStatusCode.Created);
                    deals.Add(created.Id());
                    break;
            }
            if (step % 20 == 0)
            {
                await AssertTotalsEqualAFreshCountAsync(db);
            }
        }

        // The board reads the aggregate: its figures equal the deals, with and without the assignee filter, and its sums
        // are per currency (the all-currency total is kept for older clients).
        foreach (var assignee in new long?[] { null, m1.Id })
        {
            var board = await (await admin.GetAsync($"/api/pipelines/1/board{(assignee is null ? "" : $"?assigneeId={assignee}")}")).OkJsonAsync();
            var fresh = (await db.QueryAsync<(long StageId, long Count, decimal Total)>(
                "select stage_id, count(*), sum(amount) from deals where pipeline_id = 1 and (@assignee::bigint is null or assignee_id = @assignee) group by stage_id",
                new { assignee })).ToDictionary(r => r.StageId);
            var perCurrency = (await db.QueryAsync<(long StageId, string Currency, decimal Total)>(
                "select stage_id, currency, sum(amount) from deals where pipeline_id = 1 and (@assignee::bigint is null or assignee_id = @assignee) group by 1, 2",
                new { assignee })).ToLookup(r => r.StageId);
            foreach (var stage in board["stages"]!.AsArray().Select(s => s!))
            {
                var expected = fresh.GetValueOrDefault(stage.Id("stageId"));
                Assert.Equal(expected.Count, stage["count"]!.GetValue<long>());
                Assert.Equal(expected.Total, stage["totalAmount"]!.GetValue<decimal>());
                Assert.Equal(perCurrency[stage.Id("stageId")].Select(c => (c.Currency, c.Total)).Order(),
                    stage["totalAmountByCurrency"]!.AsArray().Select(c => (c!["currency"]!.GetValue<string>(), c["amount"]!.GetValue<decimal>())).Order());
            }
        }
    }

    private static async Task AssertTotalsEqualAFreshCountAsync(Npgsql.NpgsqlConnection db)
    {
        var totals = (await db.QueryAsync<(long, long, long, string, long, decimal)>("""
            select pipeline_id, stage_id, assignee_key, currency, deals, amount from deal_stage_totals where deals <> 0 or amount <> 0 order by 1, 2, 3, 4
            """)).ToList();
        var fresh = (await db.QueryAsync<(long, long, long, string, long, decimal)>("""
            select pipeline_id, stage_id, coalesce(assignee_id, 0), currency, count(*), sum(amount) from deals group by 1, 2, 3, 4 order by 1, 2, 3, 4
            """)).ToList();
        Assert.NotEmpty(fresh);
        Assert.Equal(fresh, totals);
    }
}
