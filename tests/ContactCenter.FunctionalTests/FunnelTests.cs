using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.FunctionalTests;

public sealed class FunnelTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_funnel_counts_deals_per_stage_conversion_won_lost_and_loss_reasons()
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var pipeline = (await http.GetFromJsonAsync<JsonArray>("/api/pipelines"))!.Single(p => p!["isDefault"]!.GetValue<bool>())!;
        var stages = pipeline["stages"]!.AsArray().Select(s => s!.AsObject()).ToList();
        var open = stages.Where(s => s["semantic"]!.GetValue<string>() == "open").ToList();
        var reason = (await http.GetFromJsonAsync<JsonArray>("/api/loss-reasons"))![0]!["id"]!.GetValue<long>();
        async Task<long> Deal(decimal amount)
        {
            var response = await http.PostAsJsonAsync("/api/deals", new { title = $"Deal {amount}", amount });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        }
        // Four deals start on the first stage; three reach the second; one is won, one lost with a reason.
        var deals = new List<long> { await Deal(100), await Deal(200), await Deal(300), await Deal(400) };
        foreach (var id in deals.Take(3))
        {
            (await http.PatchAsJsonAsync($"/api/deals/{id}", new { stageId = open[1]["id"]!.GetValue<long>() })).EnsureSuccessStatusCode();
        }
        (await http.PostAsJsonAsync($"/api/deals/{deals[0]}/close", new { outcome = "won" })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync($"/api/deals/{deals[1]}/close", new { outcome = "lost", lossReasonId = reason })).EnsureSuccessStatusCode();

        var funnel = await http.GetFromJsonAsync<JsonObject>($"/api/stats/funnel?pipelineId={pipeline["id"]}");

        var rows = funnel!["stages"]!.AsArray().Select(s => s!.AsObject()).ToList();
        var first = rows.Single(r => r["stageId"]!.GetValue<long>() == open[0]["id"]!.GetValue<long>());
        var second = rows.Single(r => r["stageId"]!.GetValue<long>() == open[1]["id"]!.GetValue<long>());
        Assert.Equal(4, first["entered"]!.GetValue<long>());
        Assert.Equal(1000m, first["amount"]!.GetValue<decimal>());
        Assert.Equal(0.75, first["conversionToNext"]!.GetValue<double>(), 6);
        Assert.Equal(3, second["entered"]!.GetValue<long>());
        Assert.Equal(1, funnel["won"]!["count"]!.GetValue<long>());
        Assert.Equal(100m, funnel["won"]!["amount"]!.GetValue<decimal>());
        Assert.Equal(1, funnel["lost"]!["count"]!.GetValue<long>());
        var lost = Assert.Single(funnel["lossReasons"]!.AsArray())!;
        Assert.Equal(reason, lost["id"]!.GetValue<long>());
        Assert.Equal(200m, lost["amount"]!.GetValue<decimal>());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/stats/funnel?pipelineId=999999")).StatusCode);
    }
}
