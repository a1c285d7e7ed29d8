using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Stats;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContactCenter.FunctionalTests.Reports;

/// <summary>No Hangfire server: the minutely compaction runs when a test calls it, never between a test's steps.</summary>
public sealed class FunnelRollupFixture : AppFixture
{
    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["Jobs:Server"] = "false";
        return settings;
    }
}

/// <summary>
/// The whole team's funnel read from the day and month rollups (migration 1140) against the same funnel read from the
/// deals' rows alone, on random deals whose stage entries and closes fall on midnights, the last millisecond before one
/// and month starts; after the changes the product makes (stage moves, amounts, currencies, sources, closes and reopens,
/// deals deleted or moved to another pipeline, history entries removed or moved, bulk updates) and after concurrent
/// writers, and after the rows are compacted. The rollup rows themselves are checked against a fresh grouping of what they
/// summarise each time.
/// </summary>
public sealed partial class FunnelRollupTests(FunnelRollupFixture fixture) : IClassFixture<FunnelRollupFixture>, IAsyncLifetime
{
    private static readonly DateTime Base = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string?[] Sources = [null, "call", "form", "site"];
    private static readonly string[] Currencies = ["USD", "EUR", "RUB"];

    private readonly Random random = new(1140);

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Pipeline(long Id, long[] Open, long Won, long[] Lost);

    [Fact]
    public async Task The_funnel_from_rollups_equals_the_funnel_from_the_deals_on_random_data_and_after_every_kind_of_change()
    {
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select (select count(*) from deal_funnel_rollups) + (select count(*) from deal_outcome_rollups)"));
        var main = await PipelineAsync(db, await db.ExecuteScalarAsync<long>("select id from pipelines where is_default"));
        var other = await PipelineAsync(db, await db.ExecuteScalarAsync<long>("""
            with p as (insert into pipelines (name) values ('Rollup repeat sales') returning id),
                 s as (insert into stages (pipeline_id, name, sort, semantic)
                       select id, x.name, x.sort, x.semantic from p, (values ('Start', 1, 'open'), ('Offer', 2, 'open'), ('Won', 3, 'won'), ('Lost', 4, 'lost')) x(name, sort, semantic)
                       returning pipeline_id)
            select distinct pipeline_id from s
            """));
        var reasons = (await db.QueryAsync<long>("select id from loss_reasons order by id")).ToArray();

        var deals = new List<long>();
        for (var i = 0; i < 160; i++)
        {
            deals.Add(await NewDealAsync(db, random.Next(5) == 0 ? other : main, reasons));
        }
        await CompareAsync(db, main, other, "random deals");

        // One by one, as the product changes deals.
        for (var i = 0; i < 40; i++)
        {
            var deal = deals[random.Next(deals.Count)];
            var pipeline = await db.ExecuteScalarAsync<long>("select pipeline_id from deals where id = @deal", new { deal }) == main.Id ? main : other;
            switch (i % 8)
            {
                case 0:
                    await EnterAsync(db, deal, pipeline.Open[random.Next(pipeline.Open.Length)], RandomTime());
                    break;
                case 1:
                    await db.ExecuteAsync("update deals set amount = @amount, currency = @currency where id = @deal",
                        new { deal, amount = random.Next(0, 100_000) / 100m, currency = Currencies[random.Next(Currencies.Length)] });
                    break;
                case 2:
                    await db.ExecuteAsync("update deals set source = @source where id = @deal", new { deal, source = Sources[random.Next(Sources.Length)] });
                    break;
                case 3:
                    await CloseAsync(db, deal, pipeline, reasons, RandomTime());
                    break;
                case 4:
                    // Reopened: back to an open stage, the close undone.
                    var stage = pipeline.Open[0];
                    await db.ExecuteAsync("update deals set closed_at = null, outcome = null, loss_reason_id = null, stage_id = @stage where id = @deal", new { deal, stage });
                    await EnterAsync(db, deal, stage, RandomTime());
                    break;
                case 5:
                    await db.ExecuteAsync("delete from deal_stage_history where id = (select min(id) from deal_stage_history where deal_id = @deal)", new { deal });
                    break;
                case 6:
                    await db.ExecuteAsync("update deal_stage_history set entered_at = @at where id = (select max(id) from deal_stage_history where deal_id = @deal)",
                        new { deal, at = RandomTime() });
                    break;
                default:
                    // To the other pipeline, entering its first stage there (its entries in this one stay in the history).
                    var target = pipeline == main ? other : main;
                    await db.ExecuteAsync("update deals set pipeline_id = @pipeline, stage_id = @stage where id = @deal", new { deal, pipeline = target.Id, stage = target.Open[0] });
                    await EnterAsync(db, deal, target.Open[0], RandomTime());
                    break;
            }
        }
        await CompareAsync(db, main, other, "changes one by one");

        // In bulk: one statement changing many deals (triggers see them all at once), and deletes.
        await db.ExecuteAsync("update deals set amount = amount + 1, source = case when id % 2 = 0 then 'call' else source end where id % 3 = 0");
        await db.ExecuteAsync("update deal_stage_history set entered_at = entered_at + interval '20 hours' where id % 4 = 0");
        await db.ExecuteAsync("delete from deals where id = any(@gone)", new { gone = deals.Where((_, i) => i % 9 == 0).ToArray() });
        await CompareAsync(db, main, other, "bulk changes and deletes");

        // Concurrent writers: 8 connections moving and closing deals of the same days at once.
        var live = (await db.QueryAsync<long>("select id from deals where pipeline_id = @id order by id", new { id = main.Id })).ToArray();
        var day = Base.AddDays(200);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async w =>
        {
            await using var connection = fixture.Db();
            await connection.OpenAsync();
            for (var k = 0; k < 10; k++)
            {
                var deal = live[(w * 10 + k * 7) % live.Length];
                await using var tx = await connection.BeginTransactionAsync();
                await connection.ExecuteAsync("insert into deal_stage_history (deal_id, stage_id, entered_at) values (@deal, @stage, @at)",
                    new { deal, stage = main.Open[k % main.Open.Length], at = day.AddHours(k) }, tx);
                await connection.ExecuteAsync("update deals set amount = amount + 5, closed_at = @at, outcome = 'won', stage_id = @won where id = @deal",
                    new { deal, at = day.AddHours(k + 1), won = main.Won }, tx);
                await tx.CommitAsync();
            }
        }));
        await CompareAsync(db, main, other, "concurrent writers");

        // Compacted (the minutely job's function): one row per key, none that sums to nothing, and the same answers.
        Assert.True(await db.ExecuteScalarAsync<long>("select count(*) - count(distinct (pipeline_id, grain, period, source, currency, stages)) from deal_funnel_rollups") > 0,
            "writes left several rows for some keys");
        await db.ExecuteAsync("select deal_rollups_compact()");
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("""
            select (select count(*) - count(distinct (pipeline_id, grain, period, source, currency, stages)) from deal_funnel_rollups)
                 + (select count(*) - count(distinct (pipeline_id, grain, period, outcome, source, currency, loss_reason_id, stage_id)) from deal_outcome_rollups)
                 + (select count(*) from deal_funnel_rollups where deals = 0 and amount = 0)
                 + (select count(*) from deal_outcome_rollups where deals = 0 and amount = 0)
            """));
        await CompareAsync(db, main, other, "compacted");
    }

    [Fact]
    public async Task Concurrent_moves_amount_edits_closes_and_new_deals_through_the_api_all_succeed_and_keep_the_rollups_exact()
    {
        // Deals made now, unassigned, in one currency and source: every one of them shares the same day and month rollup
        // rows and stage-totals rows, which moves (deals, then history) and amount edits (deals and deal_funnel) both lock.
        using var http = fixture.App.Http(fixture.AdminToken);
        await using var db = fixture.Db();
        var main = await PipelineAsync(db, await db.ExecuteScalarAsync<long>("select id from pipelines where is_default"));
        async Task<long> NewDeal(HttpClient client, int i)
        {
            var response = await client.PostAsJsonAsync("/api/deals", new { title = $"Busy deal {i}", amount = 100 + i });
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"create: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        }
        var deals = new List<long>();
        for (var i = 0; i < 16; i++)
        {
            deals.Add(await NewDeal(http, i));
        }
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async w =>
        {
            using var client = fixture.App.Http(fixture.AdminToken);
            for (var k = 0; k < 12; k++)
            {
                var deal = deals[(w * 2 + k) % deals.Count];
                HttpResponseMessage response = (k % 4) switch
                {
                    0 => await client.PatchAsJsonAsync($"/api/deals/{deal}", new { stageId = main.Open[(k / 4 + w) % main.Open.Length] }),
                    1 => await client.PatchAsJsonAsync($"/api/deals/{deal}", new { amount = 1000 + w * 100 + k }),
                    2 => await client.PostAsJsonAsync("/api/deals", new { title = $"Busy deal {w}-{k}", amount = 7 }),
                    _ => await client.PostAsJsonAsync($"/api/deals/{deal}/close", new { outcome = "won" }),
                };
                if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict && response.StatusCode != HttpStatusCode.BadRequest)
                {
                    failures.Add($"{w}/{k}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                response.Dispose();
            }
        }));
        Assert.True(failures.IsEmpty, string.Join("\n", failures));
        await AssertNoDriftAsync(db);
        await db.ExecuteAsync("select deal_rollups_compact()");
        await AssertNoDriftAsync(db);
        Assert.True(await db.ExecuteScalarAsync<long>("select count(*) from deals where outcome = 'won'") > 0, "some closes went through");
    }

    private async Task CompareAsync(NpgsqlConnection db, Pipeline main, Pipeline other, string when)
    {
        await AssertNoDriftAsync(db);
        Assert.True(await db.ExecuteScalarAsync<long>("select count(*) from deal_outcome_rollups where deals <> 0") > 0, "some deals are closed");

        var funnel = fixture.App.Services.GetRequiredService<FunnelQuery>();
        var periods = new List<(DateTime From, DateTime To)>
        {
            (Base, Base.AddYears(2)),                                      // everything, whole months
            (Base.AddMonths(2), Base.AddMonths(3)),                        // one whole month
            (Base.AddDays(40), Base.AddDays(41)),                          // one whole day
            (Base.AddDays(40).AddHours(3), Base.AddDays(40).AddHours(9)),  // inside one day
            (Base.AddDays(10).AddHours(13), Base.AddDays(300).AddMinutes(7)),
        };
        for (var i = 0; i < 25; i++)
        {
            var a = RandomTime();
            var b = RandomTime();
            periods.Add(a < b ? (a, b) : (b, a.AddMilliseconds(1)));
        }
        foreach (var (from, to) in periods)
        {
            // Both reads find the deals spanning an edge by the span index's condition: it selects exactly the deals of the
            // plain condition (entries on both sides of an edge), and of those that began in the period and entered a stage after it.
            var spans = await db.QueryAsync<(long Plain, long Span, long PlainAfter, long SpanAfter)>("""
                select count(*) filter (where first_at < @to and last_at >= @from and (first_at < @from or last_at >= @to)),
                       count(*) filter (where (tstzrange(first_at, last_at, '[]') @> @from::timestamptz or tstzrange(first_at, last_at, '[]') @> @to::timestamptz)
                                          and first_at < @to and last_at >= @from and (first_at < @from or last_at >= @to)),
                       count(*) filter (where last_at >= @to and first_at >= @from and first_at < @to),
                       count(*) filter (where tstzrange(first_at, last_at, '[]') @> @to::timestamptz and last_at >= @to and first_at >= @from and first_at < @to)
                from deal_funnel
                """, new { from, to });
            var (plain, span, plainAfter, spanAfter) = spans.Single();
            Assert.True(plain == span && plainAfter == spanAfter, $"{when}: {from:O} - {to:O}: spanning {plain} vs {span}, after {plainAfter} vs {spanAfter}");
            foreach (var pipeline in new[] { main, other })
            {
                foreach (var source in Sources.Append("nowhere"))
                {
                    var filter = new FunnelFilter(Source: source);
                    var rollups = await funnel.ReadAsync(pipeline.Id, from, to, filter, fromRollups: true, CancellationToken.None);
                    var deals = await funnel.ReadAsync(pipeline.Id, from, to, filter, fromRollups: false, CancellationToken.None);
                    Assert.True(JsonSerializer.Serialize(deals) == JsonSerializer.Serialize(rollups),
                        $"{when}: pipeline {pipeline.Id}, {from:O} - {to:O}, source {source ?? "any"}\nfrom the deals:   {JsonSerializer.Serialize(deals)}\nfrom the rollups: {JsonSerializer.Serialize(rollups)}");
                }
            }
        }
        // The comparison is not between two empty funnels.
        var all = await funnel.ReadAsync(main.Id, Base, Base.AddYears(2), new FunnelFilter(), CancellationToken.None);
        Assert.True(all!.Stages.Sum(s => s.Entered) > 50 && all.Won.Count + all.Lost.Count > 5 && all.LossReasons.Count > 1, when);
    }
}
