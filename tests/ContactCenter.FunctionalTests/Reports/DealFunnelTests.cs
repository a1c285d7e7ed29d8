using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests.Reports;

/// <summary>
/// The funnel counts deals from the stage sets kept per deal and pipeline in deal_funnel (migration 1124). These change
/// deals the ways the product does — stage moves, close and reopen, a new amount, another manager, a deal moved to
/// another pipeline, a history entry removed — and check the kept rows against a fresh read of the history each time,
/// and the report against the figures the moves imply.
/// </summary>
public sealed class DealFunnelTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Moves_amounts_reassignment_and_another_pipeline_keep_the_funnel_rows_equal_to_the_history()
    {
        var ann = await fixture.CreateUserAsync("ann", "manager");
        using var http = fixture.App.Http(fixture.AdminToken);
        var pipeline = (await http.GetFromJsonAsync<JsonArray>("/api/pipelines"))!.Single(p => p!["isDefault"]!.GetValue<bool>())!;
        var open = pipeline["stages"]!.AsArray().Where(s => s!["semantic"]!.GetValue<string>() == "open").Select(s => s!["id"]!.GetValue<long>()).ToList();
        async Task<long> Deal(decimal amount)
        {
            var response = await http.PostAsJsonAsync("/api/deals", new { title = $"Deal {amount}", amount });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        }
        var (a, b, c) = (await Deal(100), await Deal(200), await Deal(300));
        (await http.PatchAsJsonAsync($"/api/deals/{a}", new { stageId = open[1] })).EnsureSuccessStatusCode();
        (await http.PatchAsJsonAsync($"/api/deals/{a}", new { stageId = open[2] })).EnsureSuccessStatusCode();
        (await http.PatchAsJsonAsync($"/api/deals/{b}", new { stageId = open[1] })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync($"/api/deals/{b}/close", new { outcome = "won" })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync($"/api/deals/{b}/reopen", new { })).EnsureSuccessStatusCode();
        // A new amount and another manager after the moves: the report sums and filters by what the deal is now.
        (await http.PatchAsJsonAsync($"/api/deals/{a}", new { amount = 150, assigneeId = ann.Id })).EnsureSuccessStatusCode();
        Assert.Equal(0, await DriftAsync());

        var funnel = await FunnelAsync(http, pipeline["id"]!.GetValue<long>(), null);
        // First stage: a, b, c (150 + 200 + 300); second: a, b; third: a. Reached second: a and b (b's furthest is won).
        Assert.Equal((3L, 650m), Stage(funnel, open[0]));
        Assert.Equal((2L, 350m), Stage(funnel, open[1]));
        Assert.Equal((1L, 150m), Stage(funnel, open[2]));
        Assert.Equal(2L, funnel["stages"]!.AsArray().Single(s => s!["stageId"]!.GetValue<long>() == open[1])!["reached"]!.GetValue<long>());
        var annOnly = await FunnelAsync(http, pipeline["id"]!.GetValue<long>(), ann.Id);
        Assert.Equal((1L, 150m), Stage(annOnly, open[0]));

        // Deal c goes to another pipeline (its entries there are that pipeline's), and one of a's entries is removed.
        long other;
        await using (var db = fixture.Db())
        {
            other = await db.ExecuteScalarAsync<long>("""
                with p as (insert into pipelines (name) values ('Repeat sales') returning id)
                insert into stages (pipeline_id, name, sort, semantic) select id, 'Start', 1, 'open' from p returning pipeline_id
                """);
            var start = await db.ExecuteScalarAsync<long>("select id from stages where pipeline_id = @other", new { other });
            await db.ExecuteAsync("""
                update deals set pipeline_id = @other, stage_id = @start where id = @c;
                insert into deal_stage_history (deal_id, stage_id, entered_at) values (@c, @start, now());
                delete from deal_stage_history where deal_id = @a and stage_id = @third;
                """, new { other, start, c, a, third = open[2] });
        }
        Assert.Equal(0, await DriftAsync());
        var after = await FunnelAsync(http, pipeline["id"]!.GetValue<long>(), null);
        Assert.Equal((3L, 650m), Stage(after, open[0]));
        Assert.Equal((0L, 0m), Stage(after, open[2]));
        var repeat = await FunnelAsync(http, other, null);
        Assert.Equal(1L, Assert.Single(repeat["stages"]!.AsArray())!["entered"]!.GetValue<long>());
    }

    private static async Task<JsonObject> FunnelAsync(HttpClient http, long pipelineId, long? assigneeId)
    {
        var from = Uri.EscapeDataString(DateTime.UtcNow.AddDays(-1).ToString("O"));
        var to = Uri.EscapeDataString(DateTime.UtcNow.AddDays(1).ToString("O"));
        var manager = assigneeId is { } id ? $"&assigneeId={id}" : "";
        return await (await http.GetAsync($"/api/reports/funnel?pipelineId={pipelineId}&from={from}&to={to}{manager}")).OkJsonAsync();
    }

    private static (long Entered, decimal Amount) Stage(JsonObject funnel, long stageId)
    {
        var stage = funnel["stages"]!.AsArray().Single(s => s!["stageId"]!.GetValue<long>() == stageId)!;
        return (stage["entered"]!.GetValue<long>(), stage["amount"]!.GetValue<decimal>());
    }

    /// <summary>Kept funnel rows that differ from a fresh read of the stage history and the deals (missing and extra rows too).</summary>
    private async Task<int> DriftAsync()
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<int>("""
            select count(*) from (
                select h.deal_id, s.pipeline_id, array_agg(distinct h.stage_id order by h.stage_id) as stages,
                       min(h.entered_at) as first_at, max(h.entered_at) as last_at, d.amount, d.currency, d.assignee_id, d.source
                from deal_stage_history h join stages s on s.id = h.stage_id join deals d on d.id = h.deal_id
                group by h.deal_id, s.pipeline_id, d.amount, d.currency, d.assignee_id, d.source
            ) fresh
            full join deal_funnel k on k.deal_id = fresh.deal_id and k.pipeline_id = fresh.pipeline_id
            where (fresh.stages, fresh.first_at, fresh.last_at, fresh.amount, fresh.currency, fresh.assignee_id, fresh.source)
                  is distinct from (k.stages, k.first_at, k.last_at, k.amount, k.currency, k.assignee_id, k.source)
            """);
    }
}
